package io.spawnkit.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.math.BigDecimal;
import java.math.MathContext;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/** Measurement helpers: percentiles, the process's peak RSS, a heap sampler, value formatting. */
final class Metrics {
    private Metrics() {}

    /** Nearest-rank percentile of sorted values: the smallest value with at least p of them at or below. */
    static long percentile(long[] sorted, double p) {
        if (sorted.length == 0) {
            throw new IllegalArgumentException("no values");
        }
        int rank = (int) Math.ceil(p * sorted.length);
        return sorted[Math.clamp(rank - 1, 0, sorted.length - 1)];
    }

    static long[] sortedCopy(long[] values) {
        long[] s = values.clone();
        Arrays.sort(s);
        return s;
    }

    /** VmHWM of this process (peak resident set) in MiB, or -1 where /proc is not there. */
    static double peakRssMiB() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmHWM:")) {
                    String kb = line.substring(6).strip().split("\\s+")[0];
                    return Long.parseLong(kb) / 1024.0;
                }
            }
        } catch (Exception e) {
            System.err.println("cannot read VmHWM: " + e);
        }
        return -1;
    }

    /** A number as RESULT lines carry it: up to 6 significant digits, plain notation. */
    static String format(double v) {
        if (Double.isNaN(v) || Double.isInfinite(v)) {
            return Double.toString(v);
        }
        if (v == Math.rint(v) && Math.abs(v) < 1e15) {
            return Long.toString((long) v);
        }
        return BigDecimal.valueOf(v).round(new MathContext(6)).stripTrailingZeros().toPlainString();
    }

    /** Samples the used heap every 10 ms on a daemon thread and keeps the maximum. */
    static final class HeapSampler implements AutoCloseable {
        private final MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        private final Thread thread;
        private volatile boolean stop;
        private volatile long max;

        HeapSampler() {
            sample();
            thread = Thread.ofPlatform().daemon().name("heap-sampler").start(() -> {
                while (!stop) {
                    sample();
                    try {
                        Thread.sleep(10);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            });
        }

        private void sample() {
            long used = memory.getHeapMemoryUsage().getUsed();
            if (used > max) {
                max = used;
            }
        }

        /** The largest used heap seen, in MiB. */
        double maxMiB() {
            sample();
            return max / (1024.0 * 1024.0);
        }

        @Override
        public void close() {
            stop = true;
            thread.interrupt();
        }
    }
}
