package io.spawnkit.cli.config;

import io.spawnkit.cli.config.Toml.Entry;
import io.spawnkit.cli.config.Toml.Table;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

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

    /** Rejects the first key of {@code table} not in {@code known}: typo safety. */
    void checkKeys(Table table, Set<String> known, String where) throws ConfigException {
        for (var e : table.entries().entrySet()) {
            if (!known.contains(e.getKey())) {
                throw error(e.getValue().line(), "unknown key '" + e.getKey() + "' in " + where);
            }
        }
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
