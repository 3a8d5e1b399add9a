package io.spawnkit.cli.config;

import io.spawnkit.cli.config.Toml.Entry;
import io.spawnkit.cli.config.Toml.Kind;
import io.spawnkit.cli.config.Toml.Table;
import io.spawnkit.cli.config.Toml.TableArray;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The recursive-descent parser behind {@link Toml#parse}: keys, tables and values, with TOML 1.0's
 * rules for defining a table once. One {@link TomlText} cursor goes over the whole text, so
 * multi-line strings and arrays keep their line numbers.
 */
final class TomlParser {
    private static final Pattern DEC_INT = Pattern.compile("[+-]?(?:0|[1-9](?:_?[0-9])*)");
    private static final Pattern HEX_INT = Pattern.compile("0x[0-9A-Fa-f](?:_?[0-9A-Fa-f])*");
    private static final Pattern OCT_INT = Pattern.compile("0o[0-7](?:_?[0-7])*");
    private static final Pattern BIN_INT = Pattern.compile("0b[01](?:_?[01])*");
    private static final Pattern FLOAT = Pattern.compile(
            "[+-]?(?:0|[1-9](?:_?[0-9])*)(?:\\.[0-9](?:_?[0-9])*)?(?:[eE][+-]?[0-9](?:_?[0-9])*)?");
    private static final Pattern SPECIAL_FLOAT = Pattern.compile("[+-]?(?:inf|nan)");
    private static final Pattern DATE_OR_TIME = Pattern.compile("\\d{4}-\\d{2}-\\d{2}.*|\\d{2}:\\d{2}.*");

    private final TomlText in;
    private final Table root = new Table(Kind.ROOT, 1);
    private Table current = root;

    TomlParser(String file, String src) {
        this.in = new TomlText(file, src);
    }

    Table parseDocument() throws ConfigException {
        while (true) {
            in.skipWhitespace();
            if (in.eof()) {
                return root;
            }
            char c = in.peek();
            if (c == '#' || c == '\n' || c == '\r') {
                in.endOfLine();
            } else if (c == '[') {
                header();
                in.endOfLine();
            } else {
                keyValue(current);
                in.endOfLine();
            }
        }
    }

    // ---- structure ------------------------------------------------------------------------------

    private void header() throws ConfigException {
        int at = in.line();
        in.skip();
        boolean array = !in.eof() && in.peek() == '[';
        if (array) {
            in.skip();
        }
        in.skipWhitespace();
        List<String> key = key();
        in.skipWhitespace();
        in.expect(']', "expected ']' after the table name");
        if (array) {
            in.expect(']', "expected ']]' after the table name");
        }
        String name = String.join(".", key);
        Table t = root;
        for (int i = 0; i < key.size() - 1; i++) {
            t = headerStep(t, key.get(i), name, at);
        }
        String last = key.getLast();
        Entry e = t.entries.get(last);
        if (array) {
            if (e == null) {
                TableArray a = new TableArray();
                t.entries.put(last, new Entry(a, at));
                e = t.entries.get(last);
            }
            if (!(e.value() instanceof TableArray a)) {
                throw in.error(at, "cannot define [[" + name + "]]: '" + name + "' is already defined on line " + e.line());
            }
            Table next = new Table(Kind.HEADER, at);
            a.add(next);
            current = next;
            return;
        }
        if (e == null) {
            Table next = new Table(Kind.HEADER, at);
            t.entries.put(last, new Entry(next, at));
            current = next;
        } else if (e.value() instanceof Table next && next.kind == Kind.IMPLICIT) {
            // defined now: the table and its key take the header's line (the key keeps its place)
            next.kind = Kind.HEADER;
            next.line = at;
            t.entries.put(last, new Entry(next, at));
            current = next;
        } else if (e.value() instanceof Table next && next.kind == Kind.HEADER) {
            throw in.error(at, "duplicate table [" + name + "] (first on line " + next.line + ")");
        } else {
            throw in.error(at, "cannot define [" + name + "]: '" + name + "' is already defined on line " + e.line());
        }
    }

    /** One step down the path of a header: through any table but an inline one, or an array's last table. */
    private Table headerStep(Table t, String part, String name, int at) throws ConfigException {
        Entry e = t.entries.get(part);
        if (e == null) {
            Table next = new Table(Kind.IMPLICIT, at);
            t.entries.put(part, new Entry(next, at));
            return next;
        }
        if (e.value() instanceof Table next && next.kind != Kind.INLINE) {
            return next;
        }
        if (e.value() instanceof TableArray a) {
            return a.getLast();
        }
        throw in.error(at, "cannot define [" + name + "]: '" + part + "' is already defined on line " + e.line()
                + " as " + Toml.typeName(e.value()) + (e.value() instanceof Table ? " (inline)" : ""));
    }

    /** {@code key = value} into {@code t}; dotted keys make or extend tables of their own. */
    private void keyValue(Table t) throws ConfigException {
        int at = in.line();
        List<String> key = key();
        in.skipWhitespace();
        in.expect('=', "expected '=' after the key");
        in.skipWhitespace();
        Object value = value();
        String name = String.join(".", key);
        for (int i = 0; i < key.size() - 1; i++) {
            Entry e = t.entries.get(key.get(i));
            if (e == null) {
                Table next = new Table(Kind.DOTTED, at);
                t.entries.put(key.get(i), new Entry(next, at));
                t = next;
            } else if (e.value() instanceof Table next && next.kind == Kind.DOTTED) {
                t = next;
            } else {
                throw in.error(at, "cannot set '" + name + "': '" + String.join(".", key.subList(0, i + 1))
                        + "' is already defined on line " + e.line());
            }
        }
        String last = key.getLast();
        Entry e = t.entries.get(last);
        if (e != null) {
            throw in.error(at, "duplicate key '" + name + "' (first on line " + e.line() + ")");
        }
        t.entries.put(last, new Entry(value, at));
    }

    private List<String> key() throws ConfigException {
        List<String> parts = new ArrayList<>();
        while (true) {
            parts.add(simpleKey());
            in.skipWhitespace();
            if (in.eof() || in.peek() != '.') {
                return parts;
            }
            in.skip();
            in.skipWhitespace();
        }
    }

    private String simpleKey() throws ConfigException {
        if (in.eof()) {
            throw in.error("expected a key");
        }
        char c = in.peek();
        if (c == '"') {
            if (in.startsWith("\"\"\"")) {
                throw in.error("a key cannot be a multi-line string");
            }
            return in.basicString();
        }
        if (c == '\'') {
            if (in.startsWith("'''")) {
                throw in.error("a key cannot be a multi-line string");
            }
            return in.literalString();
        }
        String bare = in.readWhile(TomlText::isBareKeyChar);
        if (bare.isEmpty()) {
            throw in.error("expected a key, found " + TomlText.describe(c));
        }
        return bare;
    }

    // ---- values ---------------------------------------------------------------------------------

    private Object value() throws ConfigException {
        if (in.eof()) {
            throw in.error("expected a value");
        }
        char c = in.peek();
        switch (c) {
            case '"':
                return in.startsWith("\"\"\"") ? in.multiLineBasicString() : in.basicString();
            case '\'':
                return in.startsWith("'''") ? in.multiLineLiteralString() : in.literalString();
            case '[':
                return array();
            case '{':
                return inlineTable();
            default:
                break;
        }
        // a number, a boolean, or something to reject with a helpful message
        String token = in.readWhile(TomlText::isTokenChar);
        if (token.isEmpty()) {
            throw in.error("expected a value, found " + TomlText.describe(c));
        }
        return scalar(token);
    }

    private Object scalar(String token) throws ConfigException {
        switch (token) {
            case "true":
                return Boolean.TRUE;
            case "false":
                return Boolean.FALSE;
            case "inf", "+inf":
                return Double.POSITIVE_INFINITY;
            case "-inf":
                return Double.NEGATIVE_INFINITY;
            case "nan", "+nan", "-nan":
                return Double.NaN;
            default:
                break;
        }
        String digits = token.replace("_", "");
        try {
            if (DEC_INT.matcher(token).matches()) {
                return Long.parseLong(digits);
            }
            if (HEX_INT.matcher(token).matches()) {
                return Long.parseLong(digits.substring(2), 16);
            }
            if (OCT_INT.matcher(token).matches()) {
                return Long.parseLong(digits.substring(2), 8);
            }
            if (BIN_INT.matcher(token).matches()) {
                return Long.parseLong(digits.substring(2), 2);
            }
        } catch (NumberFormatException e) {
            throw in.error("integer out of range: " + token);
        }
        if (FLOAT.matcher(token).matches() && !SPECIAL_FLOAT.matcher(token).matches()) {
            double d = Double.parseDouble(digits);
            if (Double.isInfinite(d)) {
                throw in.error("float out of range: " + token);
            }
            return d;
        }
        if (DATE_OR_TIME.matcher(token).matches()) {
            throw in.error("dates and times are not supported: " + token);
        }
        throw in.error("invalid value '" + token + "' (strings need quotes)");
    }

    private List<Object> array() throws ConfigException {
        int at = in.line();
        in.skip();
        List<Object> values = new ArrayList<>();
        while (true) {
            in.skipWhitespaceCommentsAndNewlines();
            if (in.eof()) {
                throw in.error(at, "unterminated array");
            }
            if (in.peek() == ']') {
                in.skip();
                return values;
            }
            values.add(value());
            in.skipWhitespaceCommentsAndNewlines();
            if (in.eof()) {
                throw in.error(at, "unterminated array");
            }
            if (in.peek() == ',') {
                in.skip();
            } else if (in.peek() != ']') {
                throw in.error("expected ',' or ']' in the array, found " + TomlText.describe(in.peek()));
            }
        }
    }

    private Table inlineTable() throws ConfigException {
        Table t = new Table(Kind.INLINE, in.line());
        in.skip();
        in.skipWhitespace();
        if (!in.eof() && in.peek() == '}') {
            in.skip();
            return t;
        }
        while (true) {
            if (in.eof() || in.peek() == '\n' || in.peek() == '\r') {
                throw in.error("an inline table must be on one line (unterminated '{'?)");
            }
            keyValue(t);
            in.skipWhitespace();
            if (in.eof() || in.peek() == '\n' || in.peek() == '\r') {
                throw in.error("an inline table must be on one line (unterminated '{'?)");
            }
            char c = in.peek();
            in.skip();
            if (c == '}') {
                seal(t);
                return t;
            }
            if (c != ',') {
                throw in.error("expected ',' or '}' in the inline table, found " + TomlText.describe(c));
            }
            in.skipWhitespace();
            if (!in.eof() && in.peek() == '}') {
                throw in.error("trailing comma in an inline table");
            }
        }
    }

    /** Closes an inline table and the tables its dotted keys made. */
    private static void seal(Table t) {
        t.kind = Kind.INLINE;
        for (Entry e : t.entries.values()) {
            if (e.value() instanceof Table sub && sub.kind == Kind.DOTTED) {
                seal(sub);
            }
        }
    }
}
