package io.spawnkit.reliability;

import io.spawnkit.ChildProcess;
import io.spawnkit.Command;
import io.spawnkit.ExitStatus;
import io.spawnkit.Signal;
import io.spawnkit.SpawnException;
import io.spawnkit.Stdio;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.LongAdder;

/**
 * The bounded soak of the reliability issue: for a given time, a mix of {@link Workloads} on real
 * children through spawnkit's public API on several threads, bursts that keep thousands of children
 * alive at once, and a {@link Storm signal storm}; then every child is ended and reaped, and a
 * census of descriptors, zombies and threads is compared with the one taken before.
 *
 * <p>Prints one line per figure and ends with {@code 0 lost, 0 leaked} (exit code 0) or
 * {@code FAILED: <what>} (exit code 1):
 * <pre>
 *   Soak [--seconds N] [--workers N] [--concurrency N] [--seed N]
 * </pre>
 */
public final class Soak {
    private static final ExitStatus KILLED = new ExitStatus.Signaled(Signal.KILL, false);
    private static final ExitStatus TERMINATED = new ExitStatus.Signaled(Signal.TERM, false);
    /** Descriptors kept free for the workers, the JVM and the census while a burst is at its peak. */
    private static final int FD_RESERVE = 512;
    /** Pids kept free for the rest of the machine while a burst is at its peak. */
    private static final int PID_RESERVE = 2000;

    /** What to run: seconds, worker threads, the children a burst aims to keep alive at once. */
    public record Options(int seconds, int workers, int concurrency, long seed) {
        public static Options defaults() {
            return new Options(300, 4, 10_000, System.nanoTime());
        }
    }

    /** The figures, one per line, the last one {@code 0 lost, 0 leaked} or {@code FAILED: ...}. */
    public record Result(List<String> lines, boolean ok) {
        public String text() {
            return String.join("\n", lines);
        }
    }

    private final Options options;
    private final PrintStream progress;
    private final Ledger ledger = new Ledger();
    private final Workloads workloads = new Workloads(ledger);
    private final LongAdder[] perWorkload = new LongAdder[Workloads.MIX.size()];
    private volatile long deadline;
    private volatile int largestBurst;
    private volatile int bursts;
    private volatile String burstCeiling = "";

    private Soak(Options options, PrintStream progress) {
        this.options = options;
        this.progress = progress;
        for (int i = 0; i < perWorkload.length; i++) {
            perWorkload[i] = new LongAdder();
        }
    }

    public static void main(String[] args) throws InterruptedException {
        Options o = Options.defaults();
        int seconds = o.seconds(), workers = o.workers(), concurrency = o.concurrency();
        long seed = o.seed();
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            String v = i + 1 < args.length ? args[i + 1] : null;
            switch (a) {
                case "--seconds" -> seconds = Integer.parseInt(need(a, v));
                case "--workers" -> workers = Integer.parseInt(need(a, v));
                case "--concurrency" -> concurrency = Integer.parseInt(need(a, v));
                case "--seed" -> seed = Long.parseLong(need(a, v));
                default -> {
                    System.err.println("usage: Soak [--seconds N] [--workers N] [--concurrency N] [--seed N]");
                    System.exit(2);
                }
            }
            i++;
        }
        Result r = run(new Options(seconds, workers, concurrency, seed), System.err);
        System.out.println(r.text());
        System.out.flush();
        System.exit(r.ok() ? 0 : 1);
    }

    private static String need(String option, String value) {
        if (value == null) {
            System.err.println("Soak: " + option + " needs a value");
            System.exit(2);
        }
        return value;
    }

    /** Runs the soak; progress lines (one a minute) go to {@code progress}. */
    public static Result run(Options options, PrintStream progress) throws InterruptedException {
        return new Soak(options, progress).run();
    }

    private Result run() throws InterruptedException {
        long t0 = System.nanoTime();
        SplittableRandom master = new SplittableRandom(options.seed());
        // Warm up: the event loop, the cleaner, every workload once, so that the threads and
        // descriptors they keep for the life of the JVM are there before the census.
        Command.prepare();
        for (Workloads.Workload w : Workloads.MIX) {
            runOne(w, master.split());
        }
        Storm storm = new Storm();
        Census.Children childrenBefore = settledChildren(Duration.ofSeconds(5));
        int fdsBefore = Census.openFds();
        int threadsBefore = Census.javaThreads();
        int osThreadsBefore = Census.osThreads();
        Census.Limit noFile = Census.limit("Max open files");
        int target = burstTarget(noFile, fdsBefore);

        deadline = System.nanoTime() + options.seconds() * 1_000_000_000L;
        List<Thread> threads = new ArrayList<>();
        try {
            storm.start();
            for (int i = 0; i < options.workers(); i++) {
                SplittableRandom rnd = master.split();
                threads.add(Thread.ofPlatform().name("soak-worker-" + i).start(() -> work(rnd)));
            }
            threads.add(Thread.ofPlatform().name("soak-burst").start(() -> bursts(target)));
            long lastReport = System.nanoTime();
            while (System.nanoTime() < deadline) {
                Thread.sleep(Math.max(1, Math.min(1000, (deadline - System.nanoTime()) / 1_000_000)));
                if (System.nanoTime() - lastReport >= 60_000_000_000L) {
                    lastReport = System.nanoTime();
                    progress.printf(Locale.ROOT, "soak: %d s: %s spawns, %s failing, %d alive, peak %d, %s bytes verified, %d problems%n",
                            (lastReport - t0) / 1_000_000_000L, grouped(ledger.spawns.sum()), grouped(ledger.failingSpawns.sum()),
                            ledger.live(), ledger.peak.get(), grouped(ledger.bytesVerified.sum()), ledger.problemCount());
                }
            }
        } catch (InterruptedException | RuntimeException | Error e) {
            // Leaving early (interrupted, out of memory): stop the workers, and end every child
            // they left behind before going.
            deadline = System.nanoTime();
            joinAll(threads);
            storm.close();
            for (ChildProcess c : ledger.unobserved()) {
                c.kill();
            }
            throw e;
        }
        joinAll(threads);
        storm.close();
        double ran = (System.nanoTime() - t0) / 1e9;

        // Every child must have been seen to end by now; give stragglers a moment, then end them.
        int lost = awaitUnobserved(Duration.ofSeconds(10));
        if (lost > 0) {
            ledger.problem(lost + " children still not seen to end 10 s after the soak; killing them");
            for (ChildProcess c : ledger.unobserved()) {
                c.kill();
            }
            awaitUnobserved(Duration.ofSeconds(10));
        }
        Census.Children childrenAfter = settledChildren(Duration.ofSeconds(10));
        int fdsAfter = settle(Duration.ofSeconds(10), fdsBefore, Census::openFds);
        int threadsAfter = settle(Duration.ofSeconds(10), threadsBefore, Census::javaThreads);
        int osThreadsAfter = Census.osThreads();

        long spawns = ledger.spawns.sum();
        long once = ledger.observedOnce.sum() - ledger.observedTwice.sum();
        long lostExits = spawns - once;
        List<String> lines = new ArrayList<>();
        lines.add(String.format(Locale.ROOT, "duration: %.1f s (%d s asked), %d workers, seed %d", ran,
                options.seconds(), options.workers(), options.seed()));
        lines.add("spawns: " + grouped(spawns));
        lines.add("failing spawns: " + grouped(ledger.failingSpawns.sum()) + " (each a SpawnException with ENOENT)");
        lines.add("peak concurrent children: " + grouped(ledger.peak.get()) + " (bursts: " + bursts + ", largest "
                + grouped(largestBurst) + " of a target of " + grouped(target) + ", open files soft limit "
                + (noFile.soft() < 0 ? "unlimited" : grouped(noFile.soft())) + burstCeiling + ")");
        lines.add("bytes verified: " + grouped(ledger.bytesVerified.sum()));
        lines.add("kills: " + grouped(ledger.kills.sum()) + ", terminates: " + grouped(ledger.terminates.sum())
                + ", timeouts: " + grouped(ledger.timeouts.sum()));
        lines.add("signal storm: " + grouped(storm.sent()) + " signals (" + storm.signalNames() + ") at 1 ms intervals"
                + (storm.refused() > 0 ? ", " + storm.refused() + " refused" : ""));
        StringBuilder mix = new StringBuilder("mix:");
        for (int i = 0; i < perWorkload.length; i++) {
            mix.append(i == 0 ? " " : ", ").append(Workloads.MIX.get(i).name()).append(' ').append(grouped(perWorkload[i].sum()));
        }
        lines.add(mix.toString());
        lines.add("fds: before " + fdsBefore + " after " + fdsAfter);
        lines.add("zombies: before " + childrenBefore.zombies() + " after " + childrenAfter.zombies());
        lines.add("children: before " + childrenBefore.all() + " after " + childrenAfter.all());
        lines.add("threads: before " + threadsBefore + " after " + threadsAfter
                + " (all threads of the process, JIT and GC included: before " + osThreadsBefore + " after " + osThreadsAfter + ")");
        lines.add("exits observed exactly once: " + grouped(once) + " of " + grouped(spawns));
        for (String p : ledger.problems()) {
            lines.add("problem: " + p);
        }

        List<String> failures = new ArrayList<>();
        if (lostExits > 0) {
            failures.add(lostExits + " lost (exits not observed exactly once)");
        }
        if (fdsAfter > fdsBefore) {
            failures.add((fdsAfter - fdsBefore) + " fds leaked");
        }
        if (childrenAfter.zombies() > childrenBefore.zombies()) {
            failures.add((childrenAfter.zombies() - childrenBefore.zombies()) + " zombies left");
        }
        if (childrenAfter.all() > childrenBefore.all()) {
            failures.add((childrenAfter.all() - childrenBefore.all()) + " children left");
        }
        if (threadsAfter > threadsBefore) {
            failures.add((threadsAfter - threadsBefore) + " threads leaked");
        }
        if (ledger.problemCount() > 0) {
            failures.add(ledger.problemCount() + " problems (listed above)");
        }
        boolean ok = failures.isEmpty();
        lines.add(ok ? "0 lost, 0 leaked" : "FAILED: " + String.join("; ", failures));
        return new Result(List.copyOf(lines), ok);
    }

    private void work(SplittableRandom rnd) {
        while (System.nanoTime() < deadline) {
            runOne(Workloads.pick(rnd), rnd);
        }
    }

    private void runOne(Workloads.Workload w, SplittableRandom rnd) {
        try {
            w.run().run(workloads, rnd);
            perWorkload[Workloads.MIX.indexOf(w)].increment();
        } catch (Throwable t) {
            ledger.problem(w.name() + " threw " + t);
        }
    }

    /**
     * How many children a burst aims for: the asked concurrency, within the open-files limit (each
     * child costs one descriptor, its pidfd, while it lives) and the free pids of the machine.
     */
    private int burstTarget(Census.Limit noFile, int fdsNow) {
        long target = options.concurrency();
        if (noFile.soft() > 0) {
            target = Math.min(target, noFile.soft() - fdsNow - FD_RESERVE);
        }
        long pidMax = Census.readLong("/proc/sys/kernel/pid_max", 32768);
        long threadsMax = Census.readLong("/proc/sys/kernel/threads-max", pidMax);
        target = Math.min(target, Math.min(pidMax, threadsMax) - Census.machineTasks() - PID_RESERVE);
        return (int) Math.max(0, target);
    }

    /**
     * Bursts: spawn {@code sleep} children until {@code target} live at once (or the deadline),
     * then end them all (a third each by kill(), terminate() and SIGTERM), wait for every exit,
     * pause, repeat. The other workloads go on meanwhile.
     */
    private void bursts(int target) {
        long pause = Math.min(30_000_000_000L, Math.max(2_000_000_000L, options.seconds() * 1_000_000_000L / 10));
        long next = System.nanoTime() + Math.min(pause, 2_000_000_000L);
        while (target > 0 && next < deadline) {
            try {
                Thread.sleep(Math.max(0, (next - System.nanoTime()) / 1_000_000));
                burst(target);
            } catch (InterruptedException e) {
                return;
            } catch (Throwable t) {
                ledger.problem("burst threw " + t);
            }
            next = System.nanoTime() + pause;
        }
    }

    private void burst(int target) throws InterruptedException {
        List<ChildProcess> kids = new ArrayList<>(target);
        try {
            while (kids.size() < target && System.nanoTime() < deadline) {
                try {
                    kids.add(ledger.spawn(Command.of("sleep", "600")
                            .stdin(Stdio.ignore()).stdout(Stdio.ignore()).stderr(Stdio.ignore())));
                } catch (SpawnException e) {
                    // the machine's limits may be lower than we could see (a cgroup's pids.max)
                    burstCeiling = ", a burst stopped at " + kids.size() + ": " + e.getMessage();
                    if (!e.errnoName().equals("EAGAIN") && !e.errnoName().equals("EMFILE") && !e.errnoName().equals("ENOMEM")) {
                        ledger.problem("burst spawn failed: " + e.getMessage());
                    }
                    break;
                }
            }
            bursts++;
            largestBurst = Math.max(largestBurst, kids.size());
        } finally {
            for (int i = 0; i < kids.size(); i++) {
                ChildProcess c = kids.get(i);
                switch (i % 3) {
                    case 0 -> c.kill();
                    case 1 -> c.terminate(Duration.ofMillis(100));
                    default -> c.kill(Signal.TERM);
                }
            }
            for (ChildProcess c : kids) {
                Optional<ExitStatus> s = c.waitFor(Workloads.PATIENCE);
                if (s.isEmpty()) {
                    ledger.problem(c + ": no exit " + Workloads.PATIENCE.toSeconds() + " s after the end of a burst");
                    c.kill();
                } else {
                    ledger.expect(s.get().equals(KILLED) || s.get().equals(TERMINATED), c, "burst child exit " + s.get());
                }
            }
        }
    }

    /** Joins the threads; an interrupt is kept for later (each one ends within a workload's patience). */
    private static void joinAll(List<Thread> threads) {
        boolean interrupted = false;
        for (Thread t : threads) {
            while (t.isAlive()) {
                try {
                    t.join();
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    /** Waits until every spawned child's exit was observed, or the time is up; returns those left. */
    private int awaitUnobserved(Duration patience) throws InterruptedException {
        long end = System.nanoTime() + patience.toNanos();
        List<ChildProcess> left = ledger.unobserved();
        while (!left.isEmpty() && System.nanoTime() < end) {
            Thread.sleep(50);
            left = ledger.unobserved();
        }
        return left.size();
    }

    /** Our children per /proc, once they are down to none (zombies are reaped a moment after onExit). */
    private static Census.Children settledChildren(Duration patience) throws InterruptedException {
        long end = System.nanoTime() + patience.toNanos();
        Census.Children c = Census.children();
        while (c.all() > 0 && System.nanoTime() < end) {
            Thread.sleep(50);
            c = Census.children();
        }
        return c;
    }

    /** A count that may take a moment to come back down (a thread ending, a descriptor closed by the loop). */
    private static int settle(Duration patience, int before, java.util.function.IntSupplier count) throws InterruptedException {
        long end = System.nanoTime() + patience.toNanos();
        int n = count.getAsInt();
        while (n > before && System.nanoTime() < end) {
            Thread.sleep(100);
            n = count.getAsInt();
        }
        return n;
    }

    private static String grouped(long n) {
        return String.format(Locale.ROOT, "%,d", n);
    }
}
