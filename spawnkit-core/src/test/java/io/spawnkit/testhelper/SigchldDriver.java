package io.spawnkit.testhelper;

import io.spawnkit.ChildProcess;
import io.spawnkit.Command;
import io.spawnkit.ExitStatus;
import io.spawnkit.Signal;
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
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A parent whose SIGCHLD disposition is not the default when it spawns (hazard 15): another
 * library in the JVM set it to SIG_IGN (the kernel then reaps children itself, and waitpid fails
 * with ECHILD), or installed a handler of its own (without SA_RESTART, so that blocking calls see
 * EINTR). Run as a child JVM by {@code SigchldDispositionTest}; writes a report file,
 * {@code key=value} a line.
 *
 * <pre>
 *   SigchldDriver REPORT MODE
 *     MODE   default | ignore (SIG_IGN) | handler (a foreign no-op handler, sa_flags 0)
 * </pre>
 *
 * The disposition is changed after a first spawn: see {@link #main}.
 *
 * <p>For each child -- {@code exit0} ({@code sh -c 'exit 0'}), {@code exit3}, {@code sigterm} (a
 * sleep we send SIGTERM) -- two are started and waited for in both ways: {@code NAME.waitFor}
 * through {@link ChildProcess#waitFor()} on a platform thread (it waits on the child itself, as
 * {@link Command#status()} does), {@code NAME.onExit} through {@link ChildProcess#onExit()} (the
 * event loop sees the exit). Each is the {@link ExitStatus}, or
 * {@code error: EXCEPTION} when it could not be observed, or {@code hang} after 20 s.
 */
public final class SigchldDriver {
    private SigchldDriver() {}

    private static final int SIGCHLD = 17;

    public static void main(String[] args) throws Throwable {
        Map<String, String> report = new LinkedHashMap<>();
        // The JDK sets SIGCHLD to SIG_DFL once, when java.lang.ProcessImpl is initialised (libjava's
        // setSIGCHLDHandler), which the first System.getenv() brings about -- and spawnkit reads the
        // environment at its first spawn. A disposition set before that is silently undone; one set
        // afterwards stays. So: one spawn first, then the foreign disposition.
        report.put("warmup", Command.of("sh", "-c", "exit 0").status().toString());
        report.put("sigaction", Integer.toString(setSigchld(args[1])));
        report.put("before", sigchldState());
        Map<String, String> scripts = new LinkedHashMap<>();
        scripts.put("exit0", "exit 0");
        scripts.put("exit3", "exit 3");
        scripts.put("sigterm", "exec sleep 30"); // we send it SIGTERM
        for (Map.Entry<String, String> e : scripts.entrySet()) {
            Command c = Command.of("sh", "-c", e.getValue()).timeout(Duration.ofSeconds(60));
            boolean term = e.getKey().equals("sigterm");
            ChildProcess direct = c.spawn();
            ChildProcess watched = c.spawn();
            try {
                if (term) {
                    direct.kill(Signal.TERM);
                    watched.kill(Signal.TERM);
                }
                report.put(e.getKey() + ".waitFor", describe(CompletableFuture.supplyAsync(() -> {
                    try {
                        return direct.waitFor();
                    } catch (InterruptedException x) {
                        throw new IllegalStateException(x);
                    }
                })));
                report.put(e.getKey() + ".onExit", describe(watched.onExit()));
            } finally {
                direct.kill();
                watched.kill();
            }
        }
        report.put("after", sigchldState());
        report.put("backend", io.spawnkit.internal.Backends.get().name());
        List<String> lines = new ArrayList<>();
        report.forEach((k, v) -> lines.add(k + "=" + v));
        Files.write(Path.of(args[0]), lines, StandardCharsets.UTF_8);
        Runtime.getRuntime().halt(0);
    }

    private static String describe(CompletableFuture<ExitStatus> f) throws InterruptedException {
        try {
            return f.get(20, TimeUnit.SECONDS).toString();
        } catch (TimeoutException e) {
            return "hang";
        } catch (ExecutionException e) {
            Throwable t = e.getCause();
            StringBuilder sb = new StringBuilder("error:");
            for (; t != null; t = t.getCause()) {
                sb.append(' ').append(t.getClass().getSimpleName()).append(": ").append(t.getMessage());
            }
            return sb.toString().replace('\n', ' ');
        }
    }

    /** "ignored", "caught" or "default": SIGCHLD's bit in SigIgn and SigCgt of /proc/self/status. */
    private static String sigchldState() throws Exception {
        long bit = 1L << (SIGCHLD - 1);
        String state = "default";
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("SigIgn:") && (Long.parseUnsignedLong(line.substring(7).strip(), 16) & bit) != 0) {
                state = "ignored";
            } else if (line.startsWith("SigCgt:") && (Long.parseUnsignedLong(line.substring(7).strip(), 16) & bit) != 0) {
                state = "caught";
            }
        }
        return state;
    }

    /** sigaction(SIGCHLD) as {@code mode} asks; returns its result (0). */
    private static int setSigchld(String mode) throws Throwable {
        if (mode.equals("default")) {
            return 0;
        }
        Linker linker = Linker.nativeLinker();
        MethodHandle sigaction = linker.downcallHandle(linker.defaultLookup().find("sigaction").orElseThrow(),
                FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.ADDRESS));
        // struct sigaction of glibc on 64-bit Linux: handler (8), sa_mask (128), sa_flags (int),
        // padding, sa_restorer (8): 152 bytes; zeroed = empty mask, no flags
        MemorySegment act = Arena.global().allocate(152, 8);
        MemorySegment handler = switch (mode) {
            case "ignore" -> MemorySegment.ofAddress(1); // SIG_IGN
            // a C function that ignores its argument and touches nothing: a foreign handler that does
            // no harm of its own, so that only its existence (EINTR, no SA_RESTART) is tested
            case "handler" -> linker.defaultLookup().find("getpid").orElseThrow();
            default -> throw new IllegalArgumentException(mode);
        };
        act.set(ValueLayout.ADDRESS, 0, handler);
        return (int) sigaction.invokeExact(SIGCHLD, act, MemorySegment.NULL);
    }
}
