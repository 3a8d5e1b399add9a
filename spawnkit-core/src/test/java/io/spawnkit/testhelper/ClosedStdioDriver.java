package io.spawnkit.testhelper;

import io.spawnkit.ChildProcess;
import io.spawnkit.Command;
import io.spawnkit.ExitStatus;
import io.spawnkit.Output;
import io.spawnkit.Stdio;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A parent whose own descriptors 0, 1, 2 (a subset of them) are closed when it spawns: the hazard
 * of CPython's {@code test_close_fds_0_1_2} family and libuv's closed-stdio tests. Run as a child
 * JVM by {@code ClosedParentStdioTest}; it writes what it and its children saw to a report file,
 * {@code key=value} a line, since its own stdout may be closed.
 *
 * <pre>
 *   ClosedStdioDriver REPORT WHEN CLOSE SCENARIOS
 *     WHEN       early: close before spawnkit has opened anything (its own descriptors may then
 *                land on 0..2); late: after one spawn (its pipes may land there)
 *     CLOSE      the descriptors to close, e.g. "0,2", or "-" for none
 *     SCENARIOS  comma-separated, from the table below
 * </pre>
 *
 * Why it closes them itself: a JVM started with 0, 1 or 2 closed ({@code <&-}) fills the holes
 * with its own files before {@code main} runs (the {@code lib/modules} image, {@code /dev/null}),
 * and libjava puts /dev/null on a descriptor 0..2 whenever Java code closes one (fileDescriptorClose).
 * So the test starts it with all three open, spawnkit's classes are loaded first (loading a class
 * opens and closes its file), and then the descriptors are closed here with close(2).
 *
 * <p>Scenarios, each reported under its name ({@code NAME=STATUS|STDOUT|STDERR}, or for the
 * listings {@code NAME.status=...} and {@code NAME.N=TARGET|closed} for the child's 0..2):
 * <pre>
 *   piped       stdin fed "ping", stdout and stderr piped: sh -c 'cat; printf err &gt;&amp;2'
 *   outputOnly  stdout and stderr piped (stdin /dev/null), the child writes "o" on 1 and "e" on 2
 *   ignored     every stdio ignored; the child lists the targets of its 0..2
 *   inherit     every stdio inherited; same listing
 *   fedInherit  stdin fed "ping" through a pipe, stdout and stderr inherited; the child reads
 *               stdin to EOF, then lists
 * </pre>
 * At the end, {@code parent.N} says what this JVM's descriptor N has become.
 */
public final class ClosedStdioDriver {
    private ClosedStdioDriver() {}

    private static final List<String> REPORT = new ArrayList<>();

    public static void main(String[] args) throws Throwable {
        Path report = Path.of(args[0]);
        boolean late = args[1].equals("late");
        for (int fd = 0; fd <= 2; fd++) {
            REPORT.add("initial." + fd + "=" + target(fd));
        }
        preloadSpawnkit();
        if (late) {
            piped("warmup"); // spawnkit's own descriptors are open now, above 2
        }
        if (!args[2].equals("-")) {
            Linker linker = Linker.nativeLinker();
            MethodHandle close = linker.downcallHandle(linker.defaultLookup().find("close").orElseThrow(),
                    FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT));
            for (String fd : args[2].split(",")) {
                int r = (int) close.invokeExact(Integer.parseInt(fd));
                REPORT.add("close." + fd + "=" + r);
            }
        }
        for (String scenario : args[3].split(",")) {
            try {
                scenario(scenario, args[0]);
            } catch (Throwable t) {
                REPORT.add(scenario + ".error=" + t.toString().replace('\n', ' '));
            }
        }
        REPORT.add("backend=" + io.spawnkit.internal.Backends.get().name());
        for (int fd = 0; fd <= 2; fd++) {
            REPORT.add("parent." + fd + "=" + target(fd));
        }
        Files.write(report, REPORT, StandardCharsets.UTF_8);
        Runtime.getRuntime().halt(0);
    }

    private static void scenario(String name, String report) throws Exception {
        Command sh = Command.of("sh").timeout(Duration.ofSeconds(20));
        switch (name) {
            // stdin piped, stdout and stderr inherited: the pipe's two ends may land on our closed 1
            // and 2, where "inherit" would find them (the child then holds the write end of its own
            // stdin and never sees EOF)
            case "fedInherit" -> seenFromOutside(name, Command.of("sleep", "30").stdin(Stdio.text("ping")));
            case "inherit" -> seenFromOutside(name, Command.of("sleep", "30"));
            case "ignored" -> listing(name, sh.stdin(Stdio.ignore()).stdout(Stdio.ignore()).stderr(Stdio.ignore()), "",
                    Path.of(report + "." + name));
            case "piped" -> piped(name);
            case "outputOnly" -> {
                Output o = Command.of("sh", "-c", "printf o; printf e >&2").timeout(Duration.ofSeconds(20)).output();
                REPORT.add(name + "=" + o.status() + "|" + o.stdoutText() + "|" + o.stderrText());
            }
            default -> throw new IllegalArgumentException("unknown scenario " + name);
        }
    }

    private static void piped(String name) {
        Output out = Command.of("sh", "-c", "cat; printf err >&2").stdin(Stdio.text("ping"))
                .timeout(Duration.ofSeconds(30)).output();
        REPORT.add(name + "=" + out.status() + "|" + out.stdoutText() + "|" + out.stderrText());
    }

    /** Runs {@code sh -c 'PREFIX LISTING' sh FILE}: "N=target" (or "N=closed") for its 0..2 into FILE. */
    private static void listing(String name, Command sh, String prefix, Path file) throws Exception {
        String script = prefix + "exec 9>\"$1\"; for n in 0 1 2; do t=$(readlink /proc/$$/fd/$n) || t=closed;"
                + " echo \"$n=$t\" >&9; done";
        ChildProcess child = sh.args("-c", script, "sh", file.toString()).spawn();
        ExitStatus status;
        try {
            status = child.waitFor();
        } finally {
            child.kill();
        }
        REPORT.add(name + ".status=" + status + (child.timedOut() ? " (timed out)" : ""));
        if (Files.exists(file)) {
            for (String line : Files.readAllLines(file)) {
                REPORT.add(name + "." + line);
            }
        }
    }

    /**
     * Loads (without initialising) every class of spawnkit's main classes. The JDK plugs a
     * descriptor 0..2 with /dev/null when it closes one (libjava's fileDescriptorClose), and loading
     * a class from a directory opens and closes its file: without this the first spawn would load
     * classes into the holes and the JDK would fill them before spawnkit opens anything. So the
     * descriptors spawnkit itself opens first (its /dev/null, epoll, eventfd, pipes) land on 0..2.
     */
    private static void preloadSpawnkit() throws Exception {
        Path root = Path.of(Command.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        if (!Files.isDirectory(root)) {
            return; // a jar stays open: loading from it opens nothing
        }
        ClassLoader loader = Command.class.getClassLoader();
        List<String> names;
        try (var files = Files.walk(root)) {
            names = files.map(p -> root.relativize(p).toString())
                    .filter(n -> n.endsWith(".class") && !n.equals("module-info.class"))
                    .map(n -> n.substring(0, n.length() - ".class".length()).replace('/', '.'))
                    .toList();
        }
        for (String n : names) {
            Class.forName(n, false, loader);
        }
        REPORT.add("preloaded=" + names.size());
    }

    /** What descriptor {@code fd} of this JVM is, or "closed". */
    /**
     * Spawns {@code child} (a sleep) and reads its 0..2 from here, through /proc: a listing made by
     * the child itself would open a descriptor, which takes the lowest free number, a closed 0..2
     * of the child's. Read until two readings agree (the child's own start-up may briefly open
     * files), then the child is killed.
     */
    private static void seenFromOutside(String name, Command child) throws Exception {
        ChildProcess c = child.spawn();
        try {
            List<String> last = List.of();
            for (int i = 0; i < 50; i++) {
                List<String> now = new ArrayList<>();
                for (int fd = 0; fd <= 2; fd++) {
                    now.add(target("/proc/" + c.pid() + "/fd/" + fd));
                }
                if (now.equals(last)) {
                    break;
                }
                last = now;
                Thread.sleep(20);
            }
            REPORT.add(name + ".status=running");
            for (int fd = 0; fd <= 2; fd++) {
                REPORT.add(name + "." + fd + "=" + last.get(fd));
            }
        } finally {
            c.kill();
            c.waitFor();
        }
    }

    private static String target(String link) {
        try {
            return Files.readSymbolicLink(Path.of(link)).toString();
        } catch (Exception e) {
            return "closed";
        }
    }

    static String target(int fd) {
        try {
            return Files.readSymbolicLink(Path.of("/proc/self/fd/" + fd)).toString();
        } catch (Exception e) {
            return "closed";
        }
    }
}
