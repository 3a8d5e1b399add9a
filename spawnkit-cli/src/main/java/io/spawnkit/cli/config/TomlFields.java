package io.spawnkit.cli.config;

import io.spawnkit.cli.config.Toml.Entry;
import io.spawnkit.cli.config.Toml.Table;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;

/**
 * Typed reads of a TOML table's keys for the schema check: each wrong type or value is a
 * {@code file:line: message} naming the key, the line being the key's own.
 */
final class TomlFields {
    private final String file;

    TomlFields(String file) {
        this.file = file;
    }

    ConfigException error(int line, String message) {
        return ConfigException.at(file, line, message);
    }

    /**
     * Rejects the first key of {@code table} not in {@code known}, suggesting the known key it is
     * most likely a typo of: {@code unknown key 'comand' in [process.web] (did you mean 'command'?)}.
     */
    void checkKeys(Table table, Set<String> known, String where) throws ConfigException {
        checkKeys(table, known, where, null);
    }

    /** As {@link #checkKeys(Table, Set, String)}, with {@code hint} in parentheses when there is no guess. */
    void checkKeys(Table table, Set<String> known, String where, String hint) throws ConfigException {
        for (var e : table.entries().entrySet()) {
            if (!known.contains(e.getKey())) {
                String guess = closest(e.getKey(), known);
                String help = guess != null ? " (did you mean '" + guess + "'?)" : hint != null ? " (" + hint + ")" : "";
                throw error(e.getValue().line(), "unknown key '" + e.getKey() + "' in " + where + help);
            }
        }
    }

    /** The word of {@code known} a typo away from {@code word} (the first in order when tied), or null. */
    static String closest(String word, Set<String> known) {
        String best = null;
        int bestDistance = 3;
        for (String k : new TreeSet<>(known)) {
            int d = editDistance(word.toLowerCase(Locale.ROOT), k);
            // one edit for short keys, two for longer ones: "tcp" is not a typo of "http"
            if (d < bestDistance && d <= (k.length() <= 4 ? 1 : 2)) {
                best = k;
                bestDistance = d;
            }
        }
        return best;
    }

    /** Insertions, deletions, substitutions and swaps of neighbours (optimal string alignment). */
    static int editDistance(String a, String b) {
        int[][] d = new int[a.length() + 1][b.length() + 1];
        for (int i = 0; i <= a.length(); i++) {
            d[i][0] = i;
        }
        for (int j = 0; j <= b.length(); j++) {
            d[0][j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                d[i][j] = Math.min(Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + cost);
                if (i > 1 && j > 1 && a.charAt(i - 1) == b.charAt(j - 2) && a.charAt(i - 2) == b.charAt(j - 1)) {
                    d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
                }
            }
        }
        return d[a.length()][b.length()];
    }

    String string(String key, Entry e) throws ConfigException {
        if (e.value() instanceof String s) {
            return s;
        }
        throw wrongType(key, e, "a string");
    }

    /** A string that is not empty or only spaces. */
    String nonBlank(String key, Entry e) throws ConfigException {
        String s = string(key, e);
        if (s.isBlank()) {
            throw error(e.line(), "'" + key + "' must not be empty");
        }
        return s;
    }

    long integer(String key, Entry e, long min, long max) throws ConfigException {
        if (!(e.value() instanceof Long n)) {
            throw wrongType(key, e, "an integer");
        }
        if (n < min || n > max) {
            throw error(e.line(), "'" + key + "' must be between " + min + " and " + max + ", got " + n);
        }
        return n;
    }

    Table table(String key, Entry e) throws ConfigException {
        if (e.value() instanceof Table t) {
            return t;
        }
        throw wrongType(key, e, "a table");
    }

    /** A string, or an array of strings, as a list. */
    List<String> stringOrStrings(String key, Entry e) throws ConfigException {
        if (e.value() instanceof String s) {
            return List.of(s);
        }
        if (e.value() instanceof List<?> list) {
            List<String> out = new ArrayList<>();
            for (Object o : list) {
                if (!(o instanceof String s)) {
                    throw error(e.line(), "'" + key + "' must be a string or an array of strings, got an array with "
                            + article(Toml.typeName(o)));
                }
                out.add(s);
            }
            return out;
        }
        throw wrongType(key, e, "a string or an array of strings");
    }

    /** A duration: a string {@code "1m30s"} (see {@link Durations}) or a number of seconds. */
    Duration duration(String key, Entry e) throws ConfigException {
        try {
            return switch (e.value()) {
                case String s -> Durations.parse(s);
                case Long n -> Durations.ofSeconds(n, String.valueOf(n));
                case Double d -> Durations.ofSeconds(d, String.valueOf(d));
                default -> throw wrongType(key, e, "a duration such as \"10s\"");
            };
        } catch (IllegalArgumentException ex) {
            throw error(e.line(), "'" + key + "': " + ex.getMessage());
        }
    }

    /** One of {@code choices}, quoted in the message when it is none of them. */
    String choice(String key, Entry e, List<String> choices) throws ConfigException {
        String s = string(key, e);
        if (!choices.contains(s)) {
            throw error(e.line(), "'" + key + "' must be " + oneOf(choices) + ", got \"" + s + "\"");
        }
        return s;
    }

    /** {@code "a", "b" or "c"}. */
    static String oneOf(List<String> choices) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < choices.size(); i++) {
            if (i > 0) {
                sb.append(i == choices.size() - 1 ? " or " : ", ");
            }
            sb.append('"').append(choices.get(i)).append('"');
        }
        return sb.toString();
    }

    ConfigException wrongType(String key, Entry e, String expected) {
        return error(e.line(), "'" + key + "' must be " + expected + ", got " + article(Toml.typeName(e.value())));
    }

    private static String article(String type) {
        return (type.equals("integer") || type.equals("array") ? "an " : "a ") + type;
    }
}
