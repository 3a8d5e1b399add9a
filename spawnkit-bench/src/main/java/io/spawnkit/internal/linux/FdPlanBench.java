package io.spawnkit.internal.linux;

import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Planning the child's descriptor map ({@link FdPlan#plan}), which every native spawn does: the
 * usual three descriptors, and ten with a swap and a shared source. In the core's package (split
 * from the core jar on the class path) to reach the package-private planner.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class FdPlanBench {
    /** stdin from /dev/null, stdout and stderr to pipes: 0&lt;-5, 1&lt;-6, 2&lt;-7. */
    private final SortedMap<Integer, Integer> three = new TreeMap<>(java.util.Map.of(0, 5, 1, 6, 2, 7));

    /** Ten descriptors: 1 and 2 swapped, 2&gt;&amp;1-style sharing, one closed, pipes above. */
    private final SortedMap<Integer, Integer> ten = new TreeMap<>();

    {
        ten.put(0, 20);
        ten.put(1, 2);
        ten.put(2, 1);
        ten.put(3, 21);
        ten.put(4, 21);
        ten.put(5, -1);
        ten.put(6, 22);
        ten.put(7, 23);
        ten.put(8, 24);
        ten.put(9, 25);
    }

    @Benchmark
    public Object threeFds() {
        return FdPlan.plan(three);
    }

    @Benchmark
    public Object tenFds() {
        return FdPlan.plan(ten);
    }
}
