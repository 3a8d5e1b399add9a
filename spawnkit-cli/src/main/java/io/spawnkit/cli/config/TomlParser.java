package io.spawnkit.cli.config;

import io.spawnkit.cli.config.Toml.Entry;
import io.spawnkit.cli.config.Toml.Kind;
import io.spawnkit.cli.config.Toml.Table;
import io.spawnkit.cli.config.Toml.TableArray;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The recursive-descent parser behind {@link Toml#parse}: one cursor over the whole text, so
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

    private final String file;
    private final String src;
    private int pos;
    private int line = 1;
    private final Table root = new Table(Kind.ROOT, 1);
    private Table current = root;

    TomlParser(String file, String src) {
        this.file = file;
        this.src = src;
    }

    Table parseDocument() throws ConfigException {
        while (true) {
            skipWhitespace();
            if (eof()) {
                return root;
            }
            char c = peek();
            if (c == '#' || c == '\n' || c == '\r') {
                endOfLine();
            } else if (c == '[') {
                header();
                endOfLine();
            } else {
                keyValue(current);
                endOfLine();
            }
        }
    }

    // ---- structure ------------------------------------------------------------------------------

    private void header() throws ConfigException {
        int at = line;
        pos++;
        boolean array = !eof() && peek() == '[';
        if (array) {
            pos++;
        }
        skipWhitespace();
        List<String> key = key();
        skipWhitespace();
        expect(']', "expected ']' after the table name");
        if (array) {
            expect(']', "expected ']]' after the table name");
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
                throw error(at, "cannot define [[" + name + "]]: '" + name + "' is already defined on line " + e.line());
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
            next.kind = Kind.HEADER;
            next.line = at;
            current = next;
        } else if (e.value() instanceof Table next && next.kind == Kind.HEADER) {
            throw error(at, "duplicate table [" + name + "] (first on line " + next.line + ")");
        } else {
            throw error(at, "cannot define [" + name + "]: '" + name + "' is already defined on line " + e.line());
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
        throw error(at, "cannot define [" + name + "]: '" + part + "' is already defined on line " + e.line()
                + " as " + Toml.typeName(e.value()) + (e.value() instanceof Table ? " (inline)" : ""));
    }

    /** {@code key = value} into {@code t}; dotted keys make or extend tables of their own. */
    private void keyValue(Table t) throws ConfigException {
        int at = line;
        List<String> key = key();
        skipWhitespace();
        expect('=', "expected '=' after the key");
        skipWhitespace();
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
                throw error(at, "cannot set '" + name + "': '" + String.join(".", key.subList(0, i + 1))
                        + "' is already defined on line " + e.line());
            }
        }
        String last = key.getLast();
        Entry e = t.entries.get(last);
        if (e != null) {
            throw error(at, "duplicate key '" + name + "' (first on line " + e.line() + ")");
        }
        t.entries.put(last, new Entry(value, at));
    }

    private List<String> key() throws ConfigException {
        List<String> parts = new ArrayList<>();
        while (true) {
            parts.add(simpleKey());
            skipWhitespace();
            if (eof() || peek() != '.') {
                return parts;
            }
            pos++;
            skipWhitespace();
        }
    }

    private String simpleKey() throws ConfigException {
        if (eof()) {
            throw error(line, "expected a key");
        }
        char c = peek();
        if (c == '"') {
            if (src.startsWith("\"\"\"", pos)) {
                throw error(line, "a key cannot be a multi-line string");
            }
            return basicString();
        }
        if (c == '\'') {
            if (src.startsWith("'''", pos)) {
                throw error(line, "a key cannot be a multi-line string");
            }
            return literalString();
        }
        int start = pos;
        while (!eof() && isBareKeyChar(peek())) {
            pos++;
        }
        if (pos == start) {
            throw error(line, "expected a key, found " + describe(c));
        }
        return src.substring(start, pos);
    }

    // ---- values ---------------------------------------------------------------------------------

    private Object value() throws ConfigException {
        if (eof()) {
            throw error(line, "expected a value");
        }
        char c = peek();
        switch (c) {
            case '"':
                return src.startsWith("\"\"\"", pos) ? multiLineBasicString() : basicString();
            case '\'':
                return src.startsWith("'''", pos) ? multiLineLiteralString() : literalString();
            case '[':
                return array();
            case '{':
                return inlineTable();
            default:
                break;
        }
        int start = pos;
        while (!eof() && isTokenChar(peek())) {
            pos++;
        }
        String token = src.substring(start, pos);
        if (token.isEmpty()) {
            throw error(line, "expected a value, found " + describe(c));
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
            throw error(line, "integer out of range: " + token);
        }
        if (FLOAT.matcher(token).matches() && !SPECIAL_FLOAT.matcher(token).matches()) {
            double d = Double.parseDouble(digits);
            if (Double.isInfinite(d)) {
                throw error(line, "float out of range: " + token);
            }
            return d;
        }
        if (DATE_OR_TIME.matcher(token).matches()) {
            throw error(line, "dates and times are not supported: " + token);
        }
        throw error(line, "invalid value '" + token + "' (strings need quotes)");
    }

    private List<Object> array() throws ConfigException {
        int at = line;
        pos++;
        List<Object> values = new ArrayList<>();
        while (true) {
            skipWhitespaceCommentsAndNewlines();
            if (eof()) {
                throw error(at, "unterminated array");
            }
            if (peek() == ']') {
                pos++;
                return values;
            }
            values.add(value());
            skipWhitespaceCommentsAndNewlines();
            if (eof()) {
                throw error(at, "unterminated array");
            }
            if (peek() == ',') {
                pos++;
            } else if (peek() != ']') {
                throw error(line, "expected ',' or ']' in the array, found " + describe(peek()));
            }
        }
    }

    private Table inlineTable() throws ConfigException {
        Table t = new Table(Kind.INLINE, line);
        pos++;
        skipWhitespace();
        if (!eof() && peek() == '}') {
            pos++;
            return t;
        }
        while (true) {
            if (eof() || peek() == '\n' || peek() == '\r') {
                throw error(line, "an inline table must be on one line (unterminated '{'?)");
            }
            keyValue(t);
            skipWhitespace();
            if (eof() || peek() == '\n' || peek() == '\r') {
                throw error(line, "an inline table must be on one line (unterminated '{'?)");
            }
            char c = peek();
            pos++;
            if (c == '}') {
                seal(t);
                return t;
            }
            if (c != ',') {
                throw error(line, "expected ',' or '}' in the inline table, found " + describe(c));
            }
            skipWhitespace();
            if (!eof() && peek() == '}') {
                throw error(line, "trailing comma in an inline table");
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

    // ---- strings --------------------------------------------------------------------------------

    private String basicString() throws ConfigException {
        pos++;
        StringBuilder sb = new StringBuilder();
        while (true) {
            if (eof() || peek() == '\n' || peek() == '\r') {
                throw error(line, "unterminated string");
            }
            char c = src.charAt(pos++);
            if (c == '"') {
                return sb.toString();
            } else if (c == '\\') {
                escape(sb);
            } else {
                checkStringChar(c);
                sb.append(c);
            }
        }
    }

    private String multiLineBasicString() throws ConfigException {
        int at = line;
        pos += 3;
        skipNewlineAfterOpening();
        StringBuilder sb = new StringBuilder();
        while (true) {
            if (eof()) {
                throw error(at, "unterminated multi-line string");
            }
            if (src.startsWith("\"\"\"", pos)) {
                return closeMultiLine(sb, '"');
            }
            char c = src.charAt(pos++);
            if (c == '\\') {
                int save = pos;
                skipWhitespace();
                if (!eof() && (peek() == '\n' || peek() == '\r')) {
                    // a line-ending backslash: drop it and every whitespace and newline after it
                    skipWhitespaceAndNewlines();
                } else {
                    pos = save;
                    escape(sb);
                }
            } else if (c == '\n') {
                line++;
                sb.append('\n');
            } else if (c == '\r' && !eof() && peek() == '\n') {
                // CRLF: appended as \n on the next round
            } else {
                checkStringChar(c);
                sb.append(c);
            }
        }
    }

    private String literalString() throws ConfigException {
        pos++;
        int start = pos;
        while (true) {
            if (eof() || peek() == '\n' || peek() == '\r') {
                throw error(line, "unterminated string");
            }
            char c = src.charAt(pos++);
            if (c == '\'') {
                return src.substring(start, pos - 1);
            }
            checkStringChar(c);
        }
    }

    private String multiLineLiteralString() throws ConfigException {
        int at = line;
        pos += 3;
        skipNewlineAfterOpening();
        StringBuilder sb = new StringBuilder();
        while (true) {
            if (eof()) {
                throw error(at, "unterminated multi-line string");
            }
            if (src.startsWith("'''", pos)) {
                return closeMultiLine(sb, '\'');
            }
            char c = src.charAt(pos++);
            if (c == '\n') {
                line++;
                sb.append('\n');
            } else if (c == '\r' && !eof() && peek() == '\n') {
                // CRLF: appended as \n on the next round
            } else {
                checkStringChar(c);
                sb.append(c);
            }
        }
    }

    /** At three or more quotes: up to two of them belong to the content, then three close it. */
    private String closeMultiLine(StringBuilder sb, char quote) throws ConfigException {
        int n = 0;
        while (pos + n < src.length() && src.charAt(pos + n) == quote) {
            n++;
        }
        if (n > 5) {
            throw error(line, "too many quotes at the end of a multi-line string");
        }
        sb.append(String.valueOf(quote).repeat(n - 3));
        pos += n;
        return sb.toString();
    }

    private void skipNewlineAfterOpening() {
        if (src.startsWith("\n", pos)) {
            pos++;
            line++;
        } else if (src.startsWith("\r\n", pos)) {
            pos += 2;
            line++;
        }
    }

    /** The escape after a backslash (already consumed), appended to {@code sb}. */
    private void escape(StringBuilder sb) throws ConfigException {
        if (eof()) {
            throw error(line, "unterminated string");
        }
        char e = src.charAt(pos++);
        switch (e) {
            case 'b' -> sb.append('\b');
            case 't' -> sb.append('\t');
            case 'n' -> sb.append('\n');
            case 'f' -> sb.append('\f');
            case 'r' -> sb.append('\r');
            case '"' -> sb.append('"');
            case '\\' -> sb.append('\\');
            case 'u' -> sb.appendCodePoint(unicode(4));
            case 'U' -> sb.appendCodePoint(unicode(8));
            default -> throw error(line, "invalid escape '\\" + printable(e) + "'");
        }
    }

    private int unicode(int digits) throws ConfigException {
        String hex = pos + digits <= src.length() ? src.substring(pos, pos + digits) : "";
        if (hex.length() != digits || !hex.chars().allMatch(ch -> Character.digit(ch, 16) >= 0)) {
            throw error(line, "invalid unicode escape: expected " + digits + " hex digits");
        }
        int cp = (int) Long.parseLong(hex, 16);
        if (cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF) || cp < 0) {
            throw error(line, "invalid unicode escape: " + hex + " is not a Unicode scalar value");
        }
        pos += digits;
        return cp;
    }

    private void checkStringChar(char c) throws ConfigException {
        if ((c < 0x20 && c != '\t') || c == 0x7F) {
            throw error(line, "control character " + printable(c) + " in a string (use an escape)");
        }
    }

    // ---- whitespace, comments, line ends ------------------------------------------------------------

    /** After a statement: blanks, an optional comment, then a newline or the end of the text. */
    private void endOfLine() throws ConfigException {
        skipWhitespace();
        if (!eof() && peek() == '#') {
            comment();
        }
        if (eof()) {
            return;
        }
        if (peek() == '\n') {
            pos++;
            line++;
        } else if (src.startsWith("\r\n", pos)) {
            pos += 2;
            line++;
        } else {
            throw error(line, "expected the end of the line, found " + describe(peek()));
        }
    }

    private void comment() throws ConfigException {
        pos++;
        while (!eof() && peek() != '\n' && !src.startsWith("\r\n", pos)) {
            char c = src.charAt(pos++);
            if ((c < 0x20 && c != '\t') || c == 0x7F) {
                throw error(line, "control character " + printable(c) + " in a comment");
            }
        }
    }

    private void skipWhitespace() {
        while (!eof() && (peek() == ' ' || peek() == '\t')) {
            pos++;
        }
    }

    private void skipWhitespaceAndNewlines() {
        while (!eof()) {
            char c = peek();
            if (c == '\n') {
                line++;
            } else if (c != ' ' && c != '\t' && c != '\r') {
                return;
            }
            pos++;
        }
    }

    private void skipWhitespaceCommentsAndNewlines() throws ConfigException {
        while (true) {
            skipWhitespace();
            if (eof()) {
                return;
            }
            char c = peek();
            if (c == '#') {
                comment();
            } else if (c == '\n') {
                pos++;
                line++;
            } else if (src.startsWith("\r\n", pos)) {
                pos += 2;
                line++;
            } else {
                return;
            }
        }
    }

    // ---- helpers -------------------------------------------------------------------------------

    private void expect(char c, String message) throws ConfigException {
        if (eof() || peek() != c) {
            throw error(line, message);
        }
        pos++;
    }

    private boolean eof() {
        return pos >= src.length();
    }

    private char peek() {
        return src.charAt(pos);
    }

    private static boolean isBareKeyChar(char c) {
        return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-';
    }

    /** The characters a number, boolean or (rejected) date can be made of. */
    private static boolean isTokenChar(char c) {
        return isBareKeyChar(c) || c == '+' || c == '.' || c == ':';
    }

    private static String describe(char c) {
        return c == '\n' ? "the end of the line" : c == '\r' ? "a carriage return" : "'" + printable(c) + "'";
    }

    private static String printable(char c) {
        return c < 0x20 || c == 0x7F ? String.format("U+%04X", (int) c) : String.valueOf(c);
    }

    private ConfigException error(int at, String message) {
        return ConfigException.at(file, at, message);
    }
}
