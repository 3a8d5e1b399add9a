package io.spawnkit.cli.config;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Durations as people write them in config files and on the command line (where
 * {@code io.spawnkit.cli.DurationConverter} also takes ISO-8601, {@code PT1M}).
 *
 * <table>
 *   <caption>Accepted forms</caption>
 *   <tr><th>text</th><th>duration</th></tr>
 *   <tr><td>{@code "250ms"}</td><td>250 ms</td></tr>
 *   <tr><td>{@code "10s"}, {@code "10"}</td><td>10 s (a plain number is seconds)</td></tr>
 *   <tr><td>{@code "2m"}</td><td>120 s</td></tr>
 *   <tr><td>{@code "1h"}</td><td>3600 s</td></tr>
 *   <tr><td>{@code "1m30s"}, {@code "1h2m3s4ms"}</td><td>90 s, 3723.004 s (units largest first, each once)</td></tr>
 *   <tr><td>{@code "1.5s"}, {@code "0.5"}</td><td>1.5 s, 0.5 s</td></tr>
 *   <tr><td>{@code ""}, {@code "-1s"}, {@code "10x"}, {@code "5s1m"}</td><td>rejected</td></tr>
 * </table>
 *
 * <p>Units are case-insensitive; spaces around the whole text are ignored, spaces inside are not
 * allowed. Precision is the nanosecond; anything finer is rounded down.
 */
public final class Durations {
    private static final Pattern PART = Pattern.compile("(\\d+(?:\\.\\d+)?)(ms|h|m|s)");
    private static final Pattern PLAIN = Pattern.compile("\\d+(?:\\.\\d+)?");
    /** Nanoseconds per unit, largest first: the order the parts must come in. */
    private static final String[] UNITS = {"h", "m", "s", "ms"};
    private static final long[] NANOS = {3_600_000_000_000L, 60_000_000_000L, 1_000_000_000L, 1_000_000L};

    private Durations() {}

    /**
     * Parses {@code text}.
     *
     * @throws IllegalArgumentException {@code not a duration: '10x' (try 250ms, 10s, 2m, 1h, 1m30s)}
     */
    public static Duration parse(String text) {
        String v = text.strip().toLowerCase(Locale.ROOT);
        if (PLAIN.matcher(v).matches()) {
            return of(new BigDecimal(v), NANOS[2], text);
        }
        Matcher m = PART.matcher(v);
        int at = 0;
        int lastUnit = -1;
        Duration total = Duration.ZERO;
        while (at < v.length() && m.find(at) && m.start() == at) {
            int unit = unitIndex(m.group(2));
            if (unit <= lastUnit) {
                throw invalid(text);
            }
            lastUnit = unit;
            total = total.plus(of(new BigDecimal(m.group(1)), NANOS[unit], text));
            at = m.end();
        }
        if (at == 0 || at != v.length()) {
            throw invalid(text);
        }
        return total;
    }

    /** Seconds given as a TOML number (integer or float). */
    static Duration ofSeconds(double seconds, String text) {
        if (!(seconds >= 0) || Double.isInfinite(seconds)) {
            throw invalid(text);
        }
        return of(BigDecimal.valueOf(seconds), NANOS[2], text);
    }

    /** {@code 250ms}, {@code 10s}, {@code 1m30s}: the shortest text {@link #parse} reads back. */
    public static String format(Duration d) {
        if (d.isZero()) {
            return "0s";
        }
        StringBuilder sb = new StringBuilder();
        long rest = d.toNanos();
        for (int i = 0; i < UNITS.length; i++) {
            long n = rest / NANOS[i];
            if (n > 0) {
                sb.append(n).append(UNITS[i]);
                rest -= n * NANOS[i];
            }
        }
        if (rest > 0) {
            // below a millisecond: fall back to fractional seconds, exact
            return BigDecimal.valueOf(d.toNanos(), 9).stripTrailingZeros().toPlainString() + "s";
        }
        return sb.toString();
    }

    private static int unitIndex(String unit) {
        for (int i = 0; i < UNITS.length; i++) {
            if (UNITS[i].equals(unit)) {
                return i;
            }
        }
        throw new AssertionError(unit);
    }

    private static Duration of(BigDecimal amount, long nanosPerUnit, String text) {
        try {
            // a fraction of a nanosecond is rounded down; only overflow is an error
            return Duration.ofNanos(amount.multiply(BigDecimal.valueOf(nanosPerUnit)).toBigInteger().longValueExact());
        } catch (ArithmeticException e) {
            throw new IllegalArgumentException("duration too long: '" + text + "'");
        }
    }

    private static IllegalArgumentException invalid(String text) {
        return new IllegalArgumentException("not a duration: '" + text + "' (try 250ms, 10s, 2m, 1h, 1m30s)");
    }
}
