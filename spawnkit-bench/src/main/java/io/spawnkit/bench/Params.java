package io.spawnkit.bench;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The {@code key=value} arguments of one run. A scenario reads what it knows, then
 * {@link #requireAllUsed()} refuses a misspelt key before anything is measured.
 */
final class Params {
    private final Map<String, String> values = new LinkedHashMap<>();
    private final Set<String> used = new TreeSet<>();

    Params(List<String> args) {
        for (String a : args) {
            int eq = a.indexOf('=');
            if (eq <= 0) {
                throw new IllegalArgumentException("expected key=value, got '" + a + "'");
            }
            values.put(a.substring(0, eq), a.substring(eq + 1));
        }
    }

    String string(String key, String fallback) {
        used.add(key);
        return values.getOrDefault(key, fallback);
    }

    String required(String key) {
        String v = string(key, null);
        if (v == null || v.isEmpty()) {
            throw new IllegalArgumentException("missing " + key + "=...");
        }
        return v;
    }

    int integer(String key, int fallback) {
        long v = size(key, fallback);
        if (v > Integer.MAX_VALUE) {
            throw new IllegalArgumentException(key + " too large: " + v);
        }
        return (int) v;
    }

    /** A count of bytes or things; a k, m or g suffix multiplies by 1024, 1024^2, 1024^3. */
    long size(String key, long fallback) {
        String v = string(key, null);
        if (v == null) {
            return fallback;
        }
        String s = v.strip().toLowerCase(Locale.ROOT);
        long unit = 1;
        if (s.endsWith("k") || s.endsWith("m") || s.endsWith("g")) {
            unit = switch (s.charAt(s.length() - 1)) {
                case 'k' -> 1L << 10;
                case 'm' -> 1L << 20;
                default -> 1L << 30;
            };
            s = s.substring(0, s.length() - 1);
        }
        try {
            long n = Long.parseLong(s);
            if (n < 0) {
                throw new IllegalArgumentException(key + " must not be negative: " + v);
            }
            return Math.multiplyExact(n, unit);
        } catch (NumberFormatException | ArithmeticException e) {
            throw new IllegalArgumentException("bad number for " + key + ": '" + v + "'", e);
        }
    }

    /** A comma-separated list (items may contain spaces); empty when the key is absent or empty. */
    List<String> list(String key) {
        String v = string(key, "");
        List<String> items = new ArrayList<>();
        if (!v.isEmpty()) {
            items.addAll(List.of(v.split(",", -1)));
        }
        return items;
    }

    void requireAllUsed() {
        Set<String> unknown = new TreeSet<>(values.keySet());
        unknown.removeAll(used);
        if (!unknown.isEmpty()) {
            throw new IllegalArgumentException("unknown key(s) " + unknown + "; this scenario takes " + used);
        }
    }
}
