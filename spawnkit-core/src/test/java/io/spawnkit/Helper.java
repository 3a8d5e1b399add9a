package io.spawnkit;

import io.spawnkit.testhelper.TestHelper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;

/** Builds commands for {@link TestHelper} behaviours, and inspects this JVM's descriptors and children. */
final class Helper {
    private Helper() {}

    /** The JVM running the tests. */
    static final String JAVA = Path.of(System.getProperty("java.home"), "bin", "java").toString();

    /** A command running {@link TestHelper} with {@code behaviour} and its arguments. */
    static Command command(String behaviour, String... args) {
        return Command.of(argv(behaviour, args));
    }

    /** The argv of {@link #command}. */
    static List<String> argv(String behaviour, String... args) {
        List<String> argv = new ArrayList<>(List.of(JAVA,
                "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xshare:auto", "-Xmx64m",
                "--enable-native-access=ALL-UNNAMED",
                "-cp", testClasses().toString(), TestHelper.class.getName(), behaviour));
        argv.addAll(List.of(args));
        return argv;
    }

    /** Where the test classes are: {@code spawnkit.test.classes} (surefire sets it), else TestHelper's code source. */
    static Path testClasses() {
        String p = System.getProperty("spawnkit.test.classes");
        if (p != null && !p.isBlank()) {
            return Path.of(p);
        }
        try {
            return Path.of(TestHelper.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * A shell that prints the child's open descriptors, one number per line, leaving out the
     * descriptor the shell used to read the directory (closed again by the time each entry is tested).
     * dash keeps no descriptor of its own for {@code -c}.
     */
    static Command listFdsCommand() {
        return Command.of("sh", "-c", "for f in /proc/self/fd/*; do [ -e \"$f\" ] && echo \"${f##*/}\"; done; exit 0");
    }

    /** Parses the output of {@link #listFdsCommand()}. */
    static TreeSet<Integer> parseFds(String text) {
        TreeSet<Integer> fds = new TreeSet<>();
        for (String line : text.split("\n")) {
            if (!line.isBlank()) {
                fds.add(Integer.parseInt(line.strip()));
            }
        }
        return fds;
    }

    /** The descriptors this JVM has open now (the listing's own one left out). */
    static TreeSet<Integer> openFds() {
        TreeSet<Integer> fds = new TreeSet<>();
        List<Path> entries;
        try (Stream<Path> s = Files.list(Path.of("/proc/self/fd"))) {
            entries = s.toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        for (Path p : entries) {
            if (Files.exists(p)) {
                fds.add(Integer.parseInt(p.getFileName().toString()));
            }
        }
        return fds;
    }

    /** The target of {@code /proc/self/fd/N}, e.g. {@code pipe:[1234]}, or null if it is not open. */
    static String fdTarget(long pid, int fd) {
        try {
            return Files.readSymbolicLink(Path.of("/proc/" + pid + "/fd/" + fd)).toString();
        } catch (IOException e) {
            return null;
        }
    }

    /** Every target of this JVM's descriptors. */
    static List<String> ownFdTargets() {
        List<String> targets = new ArrayList<>();
        for (int fd : openFds()) {
            String t = fdTarget(ProcessHandle.current().pid(), fd);
            if (t != null) {
                targets.add(t);
            }
        }
        return targets;
    }

    /** The pids of this JVM's children (of all its threads), from /proc/self/task/T/children. */
    static List<Long> childPids() {
        List<Long> pids = new ArrayList<>();
        try (Stream<Path> tasks = Files.list(Path.of("/proc/self/task"))) {
            for (Path t : tasks.toList()) {
                try {
                    String s = Files.readString(t.resolve("children")).strip();
                    if (!s.isEmpty()) {
                        for (String pid : s.split("\\s+")) {
                            pids.add(Long.parseLong(pid));
                        }
                    }
                } catch (IOException threadGone) {
                    // the thread ended while we listed
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return pids;
    }

    /** The state letter of a process ('R', 'S', 'Z', ...), or 0 when it no longer exists. */
    static char processState(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
            int close = stat.lastIndexOf(')');
            return stat.charAt(close + 2);
        } catch (IOException e) {
            return 0;
        }
    }

    /** This JVM's children that are zombies. */
    static List<Long> zombieChildren() {
        return childPids().stream().filter(p -> processState(p) == 'Z').toList();
    }

    /** True when {@code pid} has ended (gone, or a zombie waiting for its parent). */
    static boolean isDead(long pid) {
        char s = processState(pid);
        return s == 0 || s == 'Z' || s == 'X';
    }

    /** Polls {@code condition} until it holds or {@code limit} passes; returns whether it held. */
    static boolean eventually(Duration limit, BooleanSupplier condition) {
        long deadline = System.nanoTime() + limit.toNanos();
        while (true) {
            if (condition.getAsBoolean()) {
                return true;
            }
            if (System.nanoTime() - deadline > 0) {
                return false;
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
    }

    /** Sends SIGKILL to a process that is not our child (a grandchild), if it still runs. */
    static void killPid(long pid) {
        ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
    }

    /** The expected bytes {@code [from, from + len)} of the helper's pattern streams. */
    static byte[] pattern(long from, int len) {
        byte[] b = new byte[len];
        for (int i = 0; i < len; i++) {
            b[i] = TestHelper.patternByte(from + i);
        }
        return b;
    }
}
