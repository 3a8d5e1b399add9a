package io.spawnkit.cli.config;

import java.util.function.IntPredicate;

/**
 * The character level of the TOML reader: a cursor over the whole text that counts lines, with
 * whitespace, comments, line ends and the four kinds of strings. {@link TomlParser} builds the
 * tables on top of it.
 */
final class TomlText {
    private final String file;
    private final String src;
    private int pos;
    private int line = 1;

    TomlText(String file, String src) {
        this.file = file;
        this.src = src;
    }

    /** The line the cursor is on, from 1. */
    int line() {
        return line;
    }

    /** Steps over one character that is not a line end. */
    void skip() {
        pos++;
    }

    boolean startsWith(String s) {
        return src.startsWith(s, pos);
    }

    /** The longest run of characters from the cursor that {@code accept} takes (maybe empty), consumed. */
    String readWhile(IntPredicate accept) {
        int start = pos;
        while (!eof() && accept.test(peek())) {
            pos++;
        }
        return src.substring(start, pos);
    }

    /** {@code file:line: message} at the cursor's line. */
    ConfigException error(String message) {
        return error(line, message);
    }

    // ---- strings --------------------------------------------------------------------------------

    /** At {@code "}: a basic string, escapes decoded, on one line. */
    String basicString() throws ConfigException {
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

    /** At {@code """}: a multi-line basic string; a newline right after the opening quotes is dropped. */
    String multiLineBasicString() throws ConfigException {
        return multiLineString('"', true);
    }

    /** At {@code '''}: a multi-line literal string, no escapes; a newline right after the opening quotes is dropped. */
    String multiLineLiteralString() throws ConfigException {
        return multiLineString('\'', false);
    }

    /** The two multi-line strings: closed by three {@code quote}s; backslash escapes only in basic strings. */
    private String multiLineString(char quote, boolean escapes) throws ConfigException {
        int at = line;
        pos += 3;
        skipNewlineAfterOpening();
        String closing = String.valueOf(quote).repeat(3);
        StringBuilder sb = new StringBuilder();
        while (true) {
            if (eof()) {
                throw error(at, "unterminated multi-line string");
            }
            if (src.startsWith(closing, pos)) {
                return closeMultiLine(sb, quote);
            }
            char c = src.charAt(pos++);
            if (escapes && c == '\\') {
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

    /** At {@code '}: a literal string, no escapes, on one line. */
    String literalString() throws ConfigException {
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
    void endOfLine() throws ConfigException {
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

    /** Skips spaces and tabs. */
    void skipWhitespace() {
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

    /** Skips what may come between the values of an array: blanks, comments and line ends. */
    void skipWhitespaceCommentsAndNewlines() throws ConfigException {
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

    /** Consumes {@code c}, or fails with {@code message}. */
    void expect(char c, String message) throws ConfigException {
        if (eof() || peek() != c) {
            throw error(line, message);
        }
        pos++;
    }

    boolean eof() {
        return pos >= src.length();
    }

    char peek() {
        return src.charAt(pos);
    }

    static boolean isBareKeyChar(int c) {
        return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-';
    }

    /** The characters a number, a boolean or a (rejected) date or bare word is made of. */
    static boolean isTokenChar(int c) {
        return isBareKeyChar(c) || c == '+' || c == '.' || c == ':';
    }

    /** A character as a message names it: {@code 'x'}, or the end of the line. */
    static String describe(char c) {
        return c == '\n' ? "the end of the line" : c == '\r' ? "a carriage return" : "'" + printable(c) + "'";
    }

    private static String printable(char c) {
        return c < 0x20 || c == 0x7F ? String.format("U+%04X", (int) c) : String.valueOf(c);
    }

    ConfigException error(int at, String message) {
        return ConfigException.at(file, at, message);
    }
}
