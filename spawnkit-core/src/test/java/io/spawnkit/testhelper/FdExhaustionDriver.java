package io.spawnkit.testhelper;

import io.spawnkit.ChildProcess;
import io.spawnkit.Command;
import io.spawnkit.Output;
import io.spawnkit.SpawnException;
import io.spawnkit.Stdio;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * A parent that has run out of descriptors (EMFILE) when it spawns with piped stdio. Run as a
 * child JVM under a low {@code ulimit -n} by {@code DescriptorExhaustionTest}; writes a report
 * file, {@code key=value} a line (written at the end: while exhausted, not even a file can be
 * opened).
 *
 * <pre>
 *   FdExhaustionDriver REPORT MAX_FREE
 * </pre>
 *
 * After a warm-up spawn it fills its descriptor table with /dev/null, then for each
 * {@code k = 0..MAX_FREE} frees exactly {@code k} descriptors and runs {@code cat} with stdin fed
 * "ping" and stdout and stderr piped (three pipes: six descriptors, and a pidfd):
 * <pre>
 *   try.K        ok|STDOUT  or  SpawnException|ERRNO_NAME|SYSCALL|MESSAGE  or  other|EXCEPTION
 *   free.K       how many descriptors could be opened afterwards (K when nothing leaked)
 *   baseline     this JVM's descriptors before filling the table, as "fd:target ..."
 *   final        the same once every filler is closed again
 *   again        the spawn once more, with descriptors to spare
 *   pidfd        whether a child started now is watched through a pidfd (EMFILE is not cached)
 * </pre>
 */
public final class FdExhaustionDriver {
    private FdExhaustionDriver() {}

    private static final Linker LINKER = Linker.nativeLinker();
    private static final MethodHandle OPEN = LINKER.downcallHandle(LINKER.defaultLookup().find("open").orElseThrow(),
            FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.JAVA_INT));
    private static final MethodHandle CLOSE = LINKER.downcallHandle(LINKER.defaultLookup().find("close").orElseThrow(),
            FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT));
    private static final int O_CLOEXEC = 02000000;
    private static final MemorySegment DEV_NULL = Arena.global().allocateFrom("/dev/null");

    public static void main(String[] args) throws Throwable {
        int maxFree = Integer.parseInt(args[1]);
        List<String> report = new ArrayList<>();
        report.add("warmup=" + attempt());
        try {
            Command.of("/nonexistent/program").spawn(); // the error path's classes, loaded now
        } catch (SpawnException expected) {
            report.add("warmupError=" + expected.errnoName());
        }
        String baseline = census();
        Deque<Integer> fillers = new ArrayDeque<>();
        fill(fillers);
        for (int k = 0; k <= maxFree; k++) {
            free(fillers, k);
            report.add("try." + k + "=" + attempt());
            // what the attempt left open shows as fewer descriptors to open; a successful child's
            // pipe ends are closed by the event loop once read to EOF, so allow it a moment
            int free = 0;
            long deadline = System.nanoTime() + 5_000_000_000L;
            do {
                free += fill(fillers);
                if (free < k) {
                    Thread.sleep(20);
                    free(fillers, 0);
                }
            } while (free < k && System.nanoTime() < deadline);
            report.add("free." + k + "=" + free);
        }
        free(fillers, fillers.size());
        report.add("baseline=" + baseline);
        report.add("final=" + census());
        report.add("again=" + attempt());
        ChildProcess sleeper = Command.of("sleep", "30").spawn();
        try {
            report.add("pidfd=" + census().contains("anon_inode:[pidfd]"));
        } finally {
            sleeper.kill();
            sleeper.waitFor();
        }
        report.add("backend=" + io.spawnkit.internal.Backends.get().name());
        Files.write(Path.of(args[0]), report, StandardCharsets.UTF_8);
        Runtime.getRuntime().halt(0);
    }

    private static String attempt() {
        try {
            Output out = Command.of("cat").stdin(Stdio.text("ping")).timeout(Duration.ofSeconds(30)).output();
            return "ok|" + out.stdoutText() + "|" + out.status();
        } catch (SpawnException e) {
            return "SpawnException|" + e.errnoName() + "|" + e.syscall() + "|" + e.getMessage().replace('\n', ' ');
        } catch (Throwable t) {
            return "other|" + t.toString().replace('\n', ' ');
        }
    }

    /** Opens /dev/null until EMFILE; returns how many it opened. */
    private static int fill(Deque<Integer> fillers) throws Throwable {
        int n = 0;
        while (true) {
            int fd = (int) OPEN.invokeExact(DEV_NULL, O_CLOEXEC);
            if (fd < 0) {
                return n;
            }
            fillers.push(fd);
            n++;
        }
    }

    /** Closes {@code k} of the fillers, the most recent first. */
    private static void free(Deque<Integer> fillers, int k) throws Throwable {
        for (int i = 0; i < k; i++) {
            int r = (int) CLOSE.invokeExact((int) fillers.pop());
        }
    }

    /** This JVM's descriptors, "fd:target" joined by spaces (the listing's own one left out). */
    private static String census() throws Exception {
        TreeMap<Integer, String> fds = new TreeMap<>();
        List<Path> entries;
        try (Stream<Path> s = Files.list(Path.of("/proc/self/fd"))) {
            entries = s.toList();
        }
        for (Path p : entries) {
            try {
                fds.put(Integer.parseInt(p.getFileName().toString()), Files.readSymbolicLink(p).toString());
            } catch (Exception gone) {
                // the listing's own descriptor, closed by now
            }
        }
        StringBuilder sb = new StringBuilder();
        fds.forEach((fd, t) -> sb.append(fd).append(':').append(t).append(' '));
        return sb.toString().strip();
    }
}
