package io.spawnkit.bench;

import java.lang.management.ManagementFactory;
import java.math.BigDecimal;
import java.math.MathContext;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/** Measurement helpers: percentiles, the process's RSS, its live heap, value formatting. */
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
        return statusMiB("VmHWM:");
    }

    /**
     * Restarts VmHWM from the current RSS (Linux's clear_refs "5"), so that a collection we force
     * for a measurement is not counted as the peak of the work measured. False where that is refused.
     */
    static boolean resetPeakRss() {
        try {
            Files.writeString(Path.of("/proc/self/clear_refs"), "5");
            return true;
        } catch (Exception e) {
            return false;
        }
    }

    /** VmRSS of this process (resident set now) in MiB, or -1 where /proc is not there. */
    static double rssMiB() {
        return statusMiB("VmRSS:");
    }

    private static double statusMiB(String field) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith(field)) {
                    String kb = line.substring(field.length()).strip().split("\\s+")[0];
                    return Long.parseLong(kb) / 1024.0;
                }
            }
        } catch (Exception e) {
            System.err.println("cannot read " + field + " " + e);
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

    /**
     * The heap still reachable: used heap right after a full collection, in MiB. {@code System.gc()}
     * is a stop-the-world full collection with the JVM's default collector (G1) unless
     * {@code -XX:+ExplicitGCInvokesConcurrent} is given, so what is left is live data only.
     */
    static double liveHeapMiB() {
        System.gc();
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed() / (1024.0 * 1024.0);
    }
}
