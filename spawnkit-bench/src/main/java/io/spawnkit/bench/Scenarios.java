package io.spawnkit.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;

/**
 * The four scenarios of issue 3. Each reads its keys, refuses unknown ones, measures one run of one
 * competitor and returns its metrics; a failed check throws.
 */
final class Scenarios {
    private Scenarios() {}

    /** One metric of one run: printed as {@code RESULT <scenario> <competitor> <metric> <value> <unit>}. */
    record Result(String metric, double value, String unit) {}

    /**
     * The scenario of a name: the base name or a variant of it made by the script
     * ({@code many-5000}, {@code throughput-1m}); {@code alive-...} is {@code many} with long sleeps.
     */
    static String base(String scenario) {
        for (String b : List.of("spawn-wait", "many", "alive", "latency", "throughput")) {
            if (scenario.equals(b) || scenario.startsWith(b + "-")) {
                return b.equals("alive") ? "many" : b;
            }
        }
        throw new IllegalArgumentException("unknown scenario '" + scenario
                + "': expected spawn-wait, many, latency or throughput (or a variant name such as many-5000)");
    }

    static List<Result> run(String scenario, Competitor c, Params p) throws Exception {
        return switch (base(scenario)) {
            case "spawn-wait" -> spawnWait(c, p);
            case "many" -> many(c, p);
            case "latency" -> latency(c, p);
            default -> throughput(c, p);
        };
    }

    private static List<String> argv(Params p, String program) {
        List<String> argv = new ArrayList<>();
        argv.add(program);
        argv.addAll(p.list("args"));
        return argv;
    }

    /**
     * Runs {@code /bin/true} {@code count} times before the clock starts, so that what a library does
     * once per JVM (class loading, native linking, starting its threads) is not counted; warmup=0
     * measures a cold start.
     */
    private static void warmUp(Competitor c, int count) throws Exception {
        for (int i = 0; i < count; i++) {
            c.spawnWait(List.of("/bin/true"));
        }
    }

    static List<Result> spawnWait(Competitor c, Params p) throws Exception {
        int iterations = p.integer("iterations", 2000);
        int warmup = p.integer("warmup", 300);
        List<String> argv = argv(p, p.string("program", "/bin/true"));
        p.requireAllUsed();
        for (int i = 0; i < warmup; i++) {
            c.spawnWait(argv);
        }
        long t0 = System.nanoTime();
        for (int i = 0; i < iterations; i++) {
            c.spawnWait(argv);
        }
        long ns = System.nanoTime() - t0;
        return List.of(
                new Result("us_per_op", ns / 1e3 / iterations, "us"),
                new Result("total_ms", ns / 1e6, "ms"));
    }

    static List<Result> many(Competitor c, Params p) throws Exception {
        int n = p.integer("n", 1000);
        String sleep = p.string("sleep", "2");
        int warmup = p.integer("warmup", 1);
        p.requireAllUsed();
        if (n < 1 || !sleep.matches("[0-9]+(\\.[0-9]+)?")) {
            throw new IllegalArgumentException("need n >= 1 and a plain number of seconds for sleep");
        }
        List<List<String>> argvs = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            argvs.add(List.of("/bin/sh", "-c", "echo line-" + i + "; exec sleep " + sleep));
        }
        AtomicIntegerArray seen = new AtomicIntegerArray(n);
        AtomicInteger lines = new AtomicInteger();
        AtomicInteger alive = new AtomicInteger();
        AtomicInteger maxAlive = new AtomicInteger();
        CountDownLatch exits = new CountDownLatch(n);
        CountDownLatch eofs = new CountDownLatch(n);
        Queue<String> problems = new ConcurrentLinkedQueue<>();
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        warmUp(c, warmup);

        // what the JVM and the library hold before the first child: the figures below less these
        // are what the children cost
        double baseHeapMiB = Metrics.liveHeapMiB();
        double baseRss = Metrics.rssMiB();
        Metrics.resetPeakRss(); // the peak below is that of the children, not of the warm-up or the collection
        threads.resetPeakThreadCount();
        long t0 = System.nanoTime();
        for (int i = 0; i < n; i++) {
            int index = i;
            String expected = "line-" + i;
            c.startLines(argvs.get(i), new Competitor.LineEvents() {
                @Override
                public void line(String line) {
                    lines.incrementAndGet();
                    if (line.equals(expected)) {
                        seen.incrementAndGet(index);
                    } else {
                        problems.add("child " + index + " printed '" + line + "'");
                    }
                }

                @Override
                public void exited(String problem) {
                    if (problem != null) {
                        problems.add("child " + index + ": " + problem);
                    }
                    alive.decrementAndGet();
                    exits.countDown();
                }

                @Override
                public void eof() {
                    eofs.countDown();
                }
            });
            // counted once started; an exit seen before this only makes the count dip below zero
            maxAlive.accumulateAndGet(alive.incrementAndGet(), Math::max);
        }
        long started = System.nanoTime();
        // every child started, most still running (each sleeps for seconds): what is reachable
        // now is what watching them costs; the collection's own transient RSS is left out of the peak
        double startPeakRss = Metrics.peakRssMiB();
        double liveHeapMiB = Metrics.liveHeapMiB();
        Metrics.resetPeakRss();
        exits.await(); // the watchdog bounds these waits
        eofs.await();
        long end = System.nanoTime();
        int peakThreads = threads.getPeakThreadCount();
        double rss = Math.max(startPeakRss, Metrics.peakRssMiB());

        int missing = 0;
        for (int i = 0; i < n; i++) {
            if (seen.get(i) != 1) {
                missing++;
            }
        }
        if (!problems.isEmpty() || missing > 0 || lines.get() != n) {
            throw new IllegalStateException("many: " + lines.get() + " lines for " + n + " children, "
                    + missing + " children without exactly their one line; problems: "
                    + problems.stream().limit(5).toList());
        }
        return List.of(
                new Result("wall_ms", (end - t0) / 1e6, "ms"),
                new Result("start_ms", (started - t0) / 1e6, "ms"),
                new Result("peak_threads", peakThreads, "threads"),
                new Result("peak_rss_mb", rss, "MiB"),
                new Result("rss_before_mb", baseRss, "MiB"),
                new Result("live_heap_mb", liveHeapMiB, "MiB"),
                new Result("live_heap_before_mb", baseHeapMiB, "MiB"),
                new Result("lines", lines.get(), "lines"),
                new Result("all_alive", maxAlive.get() == n ? 1 : 0, "bool"));
    }

    static List<Result> latency(Competitor c, Params p) throws Exception {
        int iterations = p.integer("iterations", 500);
        int warmup = p.integer("warmup", 50);
        List<String> argv = argv(p, p.required("program"));
        p.requireAllUsed();
        if (iterations < 1) {
            throw new IllegalArgumentException("iterations must be at least 1");
        }
        long[] latencies = new long[iterations];
        for (int i = -warmup; i < iterations; i++) {
            Competitor.Stamped s = c.exitStamp(argv);
            long childNanos;
            try {
                childNanos = Long.parseLong(s.stdout().strip());
            } catch (NumberFormatException e) {
                throw new IllegalStateException(argv + " printed '" + s.stdout().strip()
                        + "', not its CLOCK_MONOTONIC time in nanoseconds", e);
            }
            long latency = s.exitNanos() - childNanos;
            if (latency < 0) {
                throw new IllegalStateException("exit seen " + (-latency) + " ns before the child's own time:"
                        + " are both clocks CLOCK_MONOTONIC?");
            }
            if (i >= 0) {
                latencies[i] = latency;
            }
        }
        long[] sorted = Metrics.sortedCopy(latencies);
        return List.of(
                new Result("p50_us", Metrics.percentile(sorted, 0.50) / 1e3, "us"),
                new Result("p90_us", Metrics.percentile(sorted, 0.90) / 1e3, "us"),
                new Result("p99_us", Metrics.percentile(sorted, 0.99) / 1e3, "us"),
                new Result("max_us", sorted[sorted.length - 1] / 1e3, "us"));
    }

    static List<Result> throughput(Competitor c, Params p) throws Exception {
        long bytes = p.size("bytes", 2L << 30);
        List<String> argv = argv(p, p.required("program"));
        int warmup = p.integer("warmup", 1);
        p.requireAllUsed();
        warmUp(c, warmup);
        long t0 = System.nanoTime();
        long read = c.readAll(argv);
        double seconds = (System.nanoTime() - t0) / 1e9;
        if (read != bytes) {
            throw new IllegalStateException("read " + read + " bytes, expected " + bytes + " from " + argv);
        }
        return List.of(
                new Result("mb_per_s", bytes / (1024.0 * 1024.0) / seconds, "MiB/s"),
                new Result("seconds", seconds, "s"));
    }
}
