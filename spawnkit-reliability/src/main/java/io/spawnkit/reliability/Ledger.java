package io.spawnkit.reliability;

import io.spawnkit.ChildProcess;
import io.spawnkit.Command;
import io.spawnkit.ExitStatus;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * The soak's books: every child spawned goes in, and leaves when its exit is observed. Memory stays
 * bounded by the children alive at one time: a child whose exit was seen keeps only its count of
 * observations (inside its callback), so a second observation is still caught.
 */
final class Ledger {
    private static final int PROBLEMS_KEPT = 25;

    final LongAdder spawns = new LongAdder();
    final LongAdder failingSpawns = new LongAdder();
    final LongAdder observedOnce = new LongAdder();
    final LongAdder observedTwice = new LongAdder();
    final LongAdder bytesVerified = new LongAdder();
    final LongAdder kills = new LongAdder();
    final LongAdder terminates = new LongAdder();
    final LongAdder timeouts = new LongAdder();
    final AtomicLong peak = new AtomicLong();
    private final AtomicLong live = new AtomicLong();
    /** Children whose exit has not been observed yet. */
    private final Map<ChildProcess, AtomicInteger> alive = new ConcurrentHashMap<>();
    private final LongAdder problemCount = new LongAdder();
    private final List<String> problems = new ArrayList<>();

    /** Spawns {@code command} and books the child; a SpawnException goes to the caller, unbooked. */
    ChildProcess spawn(Command command) {
        ChildProcess child = command.spawn();
        spawns.increment();
        AtomicInteger seen = new AtomicInteger();
        alive.put(child, seen);
        long now = live.incrementAndGet();
        peak.accumulateAndGet(now, Math::max);
        child.onExit().whenComplete((status, error) -> {
            if (error != null) {
                problem("onExit of " + child + " failed: " + error);
            }
            if (seen.incrementAndGet() == 1) {
                observedOnce.increment();
                alive.remove(child);
                live.decrementAndGet();
            } else {
                observedTwice.increment();
                problem("exit of " + child + " observed " + seen.get() + " times (" + status + ")");
            }
        });
        return child;
    }

    /** Children spawned whose exit has not been observed (yet). */
    List<ChildProcess> unobserved() {
        return new ArrayList<>(alive.keySet());
    }

    long live() {
        return live.get();
    }

    void problem(String what) {
        problemCount.increment();
        synchronized (problems) {
            if (problems.size() < PROBLEMS_KEPT) {
                problems.add(what);
            }
        }
    }

    void expect(boolean ok, ChildProcess child, String what) {
        if (!ok) {
            problem(child + ": " + what);
        }
    }

    void expectStatus(ChildProcess child, ExitStatus status, ExitStatus expected) {
        if (!status.equals(expected)) {
            problem(child + ": exit " + status + ", expected " + expected);
        }
    }

    long problemCount() {
        return problemCount.sum();
    }

    List<String> problems() {
        synchronized (problems) {
            return List.copyOf(problems);
        }
    }
}
