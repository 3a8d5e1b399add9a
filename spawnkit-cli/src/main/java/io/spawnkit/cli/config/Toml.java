package io.spawnkit.cli.config;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A small, strict TOML 1.0 reader for config files: what it reads it reads as the specification
 * says, and what it does not support it rejects with {@code file:line: message}.
 *
 * <p>Supported: comments; bare, quoted and dotted keys; tables {@code [a.b]} and arrays of tables
 * {@code [[a]]}; basic and literal strings, single- and multi-line; integers (decimal with
 * {@code _}, {@code 0x}, {@code 0o}, {@code 0b}); floats (with {@code inf}, {@code nan});
 * booleans; arrays (multi-line, trailing comma); inline tables. Not supported: dates and times
 * (an error says so).
 *
 * <p>Values are {@link String}, {@link Long}, {@link Double}, {@link Boolean}, {@link List} of
 * values, and {@link Table}; an array of tables is a {@link TableArray}. Every key remembers the
 * line it was written on, every table the line that made it, for the messages of the schema
 * check built on top.
 */
final class Toml {
    private Toml() {}

    /** A key's value and the line the key is on. */
    record Entry(Object value, int line) {}

    /** How a table came to be: the rules for extending it depend on it (TOML 1.0, "Table"). */
    enum Kind {
        /** The root table. */
        ROOT,
        /** Made as the parent of a header, e.g. {@code a} by {@code [a.b]}: a later {@code [a]} may define it. */
        IMPLICIT,
        /** Defined by a {@code [header]} or {@code [[header]]}. */
        HEADER,
        /** Made by a dotted key, e.g. {@code a} by {@code a.b = 1}. */
        DOTTED,
        /** An inline table {@code { ... }}: closed once written. */
        INLINE
    }

    /** A table: keys in file order. */
    static final class Table {
        final Map<String, Entry> entries = new LinkedHashMap<>();
        Kind kind;
        int line;

        Table(Kind kind, int line) {
            this.kind = kind;
            this.line = line;
        }

        /** The line of the header, the dotted key or the inline table that made the table. */
        int line() {
            return line;
        }

        Kind kind() {
            return kind;
        }

        Set<String> keys() {
            return entries.keySet();
        }

        /** The entry of {@code key}, or null. */
        Entry entry(String key) {
            return entries.get(key);
        }

        /** The value of {@code key}, or null. */
        Object get(String key) {
            Entry e = entries.get(key);
            return e == null ? null : e.value();
        }

        Map<String, Entry> entries() {
            return java.util.Collections.unmodifiableMap(entries);
        }

        @Override
        public String toString() {
            return entries.toString();
        }
    }

    /** An array of tables, {@code [[name]]}. */
    static final class TableArray extends ArrayList<Table> {
        private static final long serialVersionUID = 1L;
    }

    /** The type of a value as messages name it: string, integer, float, boolean, array or table. */
    static String typeName(Object value) {
        return switch (value) {
            case String s -> "string";
            case Long l -> "integer";
            case Double d -> "float";
            case Boolean b -> "boolean";
            case Table t -> "table";
            case List<?> l -> "array";
            default -> value.getClass().getSimpleName();
        };
    }

    /**
     * Parses {@code text}.
     *
     * @param file the file name used in messages
     * @throws ConfigException {@code file:line: message}
     */
    static Table parse(String file, String text) throws ConfigException {
        return new TomlParser(file, text).parseDocument();
    }
}
