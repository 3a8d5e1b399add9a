package io.spawnkit.reliability;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * What this JVM holds, read from {@code /proc}: open descriptors, children (and how many of them
 * are zombies), threads, and the limits that bound a burst of children. Linux only.
 */
final class Census {
    private static final Path PROC = Path.of("/proc");

    private Census() {}

    /** Entries of /proc/self/fd (the directory stream reading them counts, before and after alike). */
    static int openFds() {
        int n = 0;
        try (DirectoryStream<Path> fds = Files.newDirectoryStream(PROC.resolve("self/fd"))) {
            for (Path ignored : fds) {
                n++;
            }
        } catch (IOException e) {
            return -1;
        }
        return n;
    }

    /** Children of this process as {@code /proc/<pid>/stat} tells them: all, and those in state Z. */
    record Children(int all, int zombies) {}

    static Children children() {
        long self = ProcessHandle.current().pid();
        int all = 0;
        int zombies = 0;
        try (DirectoryStream<Path> procs = Files.newDirectoryStream(PROC, p -> isNumber(p.getFileName().toString()))) {
            for (Path p : procs) {
                String stat;
                try {
                    stat = read(p.resolve("stat"));
                } catch (IOException e) {
                    continue; // ended while we looked
                }
                // "pid (comm) S ppid ...": comm may hold spaces and parentheses, so parse after the last ')'
                int close = stat.lastIndexOf(')');
                if (close < 0 || close + 4 >= stat.length()) {
                    continue;
                }
                String[] f = stat.substring(close + 2).split(" ", 3);
                if (f.length >= 2 && Long.parseLong(f[1]) == self) {
                    all++;
                    if (f[0].equals("Z")) {
                        zombies++;
                    }
                }
            }
        } catch (IOException e) {
            return new Children(-1, -1);
        }
        return new Children(all, zombies);
    }

    /** Live Java threads (JVM-internal ones such as compiler and GC threads come and go, and do not count). */
    static int javaThreads() {
        return Thread.getAllStackTraces().size();
    }

    /** The kernel's thread count of this process (every thread, JVM-internal ones too); for information. */
    static int osThreads() {
        return (int) statusField("Threads:");
    }

    /** The signals this process catches: the SigCgt mask of /proc/self/status. */
    static long caughtSignals() {
        try {
            for (String line : read(PROC.resolve("self/status")).lines().toList()) {
                if (line.startsWith("SigCgt:")) {
                    return Long.parseUnsignedLong(line.substring(7).strip(), 16);
                }
            }
        } catch (IOException | NumberFormatException e) {
            // fall through
        }
        return 0;
    }

    private static long statusField(String name) {
        try {
            for (String line : read(PROC.resolve("self/status")).lines().toList()) {
                if (line.startsWith(name)) {
                    return Long.parseLong(line.substring(name.length()).strip().split("\\s+")[0]);
                }
            }
        } catch (IOException | NumberFormatException e) {
            // fall through
        }
        return -1;
    }

    /** Soft and hard value of one line of /proc/self/limits ("Max open files"); -1 for unlimited. */
    record Limit(long soft, long hard) {}

    static Limit limit(String name) {
        try {
            List<String> lines = read(PROC.resolve("self/limits")).lines().toList();
            for (String line : lines) {
                if (line.startsWith(name)) {
                    String[] f = line.substring(name.length()).strip().split("\\s+");
                    return new Limit(parseLimit(f[0]), parseLimit(f[1]));
                }
            }
        } catch (IOException | RuntimeException e) {
            // fall through
        }
        return new Limit(-1, -1);
    }

    private static long parseLimit(String s) {
        return s.equals("unlimited") ? -1 : Long.parseLong(s);
    }

    /** A number from a file such as /proc/sys/kernel/pid_max, or {@code fallback}. */
    static long readLong(String file, long fallback) {
        try {
            return Long.parseLong(read(Path.of(file)).strip());
        } catch (IOException | NumberFormatException e) {
            return fallback;
        }
    }

    /** Processes and threads on the whole machine (they share pid_max and threads-max with us). */
    static int machineTasks() {
        try (DirectoryStream<Path> procs = Files.newDirectoryStream(PROC, p -> isNumber(p.getFileName().toString()))) {
            int n = 0;
            for (Path ignored : procs) {
                n++;
            }
            return n;
        } catch (IOException e) {
            return 0;
        }
    }

    /**
     * A whole /proc file. Not Files.readString: it sizes its read by the file's size, and on a
     * 6.18 kernel it got "3" out of /proc/sys/kernel/pid_max (32768), one byte.
     */
    private static String read(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            return new String(in.readAllBytes(), StandardCharsets.US_ASCII);
        }
    }

    private static boolean isNumber(String s) {
        if (s.isEmpty()) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) < '0' || s.charAt(i) > '9') {
                return false;
            }
        }
        return true;
    }
}
