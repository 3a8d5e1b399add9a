package io.spawnkit.bench;

import java.io.PrintStream;
import java.util.Arrays;
import java.util.List;

/**
 * Runs one measurement in this (fresh) JVM:
 * {@code java -cp spawnkit-bench.jar io.spawnkit.bench.Run <scenario> <competitor> [key=value ...]}.
 *
 * <p>Standard output carries only {@code RESULT <scenario> <competitor> <metric> <value> <unit>}
 * lines, or one {@code SKIP <scenario> <competitor> <reason>} line; everything else goes to standard
 * error. Exit code 0 on success or skip, 1 on failure, 2 on bad arguments, 3 when the watchdog
 * ({@code timeout_s}, 300 by default) stopped the run. On failure or timeout every process this JVM
 * started, and theirs, is killed.
 *
 * <pre>
 *   scenario     keys [defaults]
 *   spawn-wait   iterations [2000] warmup [300] program [/bin/true] args
 *   many         n [1000] sleep [2] warmup [1]   (also alive-*: the same with a long sleep)
 *   latency      iterations [500] warmup [50] program (required) args
 *   throughput   bytes [2147483648] program (required) args warmup [1]
 *   all          timeout_s [300]
 * </pre>
 * {@code args} are the program's arguments, comma-separated (an argument may contain spaces). For
 * many and throughput, {@code warmup} runs {@code /bin/true} that many times before the clock starts,
 * leaving out what a library does once per JVM (spawnkit links its native calls, ~0.2 s);
 * {@code warmup=0} measures a cold start. Sizes take a k, m or g suffix (binary).
 * Variant names the script gives a scenario ({@code many-5000}) are echoed in the RESULT lines.
 * Competitors: spawnkit, spawnkit-stream (spawnkit reading throughput through inputStream()),
 * pb and any name starting with pb (ProcessBuilder), nuprocess, zt-exec, commons-exec.
 */
public final class Run {
    private Run() {}

    public static void main(String[] args) {
        PrintStream out = System.out;
        // nothing but RESULT/SKIP lines may reach stdout, whatever a library prints
        System.setOut(System.err);
        if (args.length < 2) {
            System.err.println("usage: Run <spawn-wait|many|latency|throughput>[-variant] <competitor> [key=value ...]");
            System.exit(2);
        }
        String scenario = args[0];
        String competitor = args[1];
        List<Scenarios.Result> results;
        try {
            Params params = new Params(Arrays.asList(args).subList(2, args.length));
            long timeoutSeconds = params.size("timeout_s", 300);
            Scenarios.base(scenario); // refuse an unknown scenario before anything starts
            Competitor c = Competitor.named(competitor);
            startWatchdog(scenario, competitor, timeoutSeconds);
            results = Scenarios.run(scenario, c, params);
        } catch (Competitor.Skip skip) {
            out.println("SKIP " + scenario + " " + competitor + " " + skip.getMessage());
            out.flush();
            killChildren();
            System.exit(0);
            return;
        } catch (IllegalArgumentException e) {
            System.err.println("Run " + scenario + " " + competitor + ": " + e.getMessage());
            System.exit(2);
            return;
        } catch (Throwable t) {
            System.err.println("Run " + scenario + " " + competitor + " failed: " + t);
            t.printStackTrace();
            killChildren();
            System.exit(1);
            return;
        }
        for (Scenarios.Result r : results) {
            out.println("RESULT " + scenario + " " + competitor + " " + r.metric() + " "
                    + Metrics.format(r.value()) + " " + r.unit());
        }
        out.flush();
        // libraries may keep non-daemon threads (NuProcess, Commons Exec): end the JVM here
        System.exit(0);
    }

    private static void startWatchdog(String scenario, String competitor, long seconds) {
        Thread.ofPlatform().daemon().name("bench-watchdog").start(() -> {
            try {
                Thread.sleep(seconds * 1000);
            } catch (InterruptedException e) {
                return;
            }
            System.err.println("Run " + scenario + " " + competitor + ": still running after " + seconds
                    + " s (timeout_s); killing its children and stopping");
            killChildren();
            Runtime.getRuntime().halt(3);
        });
    }

    /** Kills every descendant of this JVM, whichever library started it. */
    private static void killChildren() {
        try {
            ProcessHandle.current().descendants().forEach(ProcessHandle::destroyForcibly);
        } catch (RuntimeException e) {
            System.err.println("could not kill the children: " + e);
        }
    }
}
