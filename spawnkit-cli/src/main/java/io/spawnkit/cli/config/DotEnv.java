package io.spawnkit.cli.config;

import java.util.Map;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * A {@code .env} file as foreman and the dotenv libraries read it.
 *
 * <table>
 *   <caption>What a line means</caption>
 *   <tr><th>line</th><th>value</th></tr>
 *   <tr><td>{@code KEY=value}</td><td>{@code value}</td></tr>
 *   <tr><td>{@code export KEY=value}</td><td>{@code value} (the {@code export} is ignored)</td></tr>
 *   <tr><td>{@code KEY = a b  # note}</td><td>{@code a b}: unquoted values are trimmed and a
 *       {@code #} after a space or tab starts a comment</td></tr>
 *   <tr><td>{@code KEY=a#b}</td><td>{@code a#b}</td></tr>
 *   <tr><td>{@code KEY=}</td><td>the empty string</td></tr>
 *   <tr><td>{@code KEY='a $B \n'}</td><td>{@code a $B \n} literally</td></tr>
 *   <tr><td>{@code KEY="a\tb\n"}</td><td>escapes {@code \n \t \r \" \\ \$}; any other backslash is kept</td></tr>
 *   <tr><td>{@code KEY="$HOME/x" KEY=${HOME}/x}</td><td>expanded, in double quotes and unquoted</td></tr>
 *   <tr><td>{@code KEY="line 1}<br>{@code line 2"}</td><td>a value over two lines (both quote kinds)</td></tr>
 *   <tr><td>blank, or first non-space character {@code #}</td><td>ignored</td></tr>
 * </table>
 *
 * <p><b>Expansion.</b> {@code $NAME} (the longest run of letters, digits and {@code _}) and
 * {@code ${NAME}} are replaced, in unquoted and double-quoted values only, by the value NAME got
 * earlier in this file or in an earlier .env file, else by the variable of spawnkit's own
 * environment, else by nothing. A {@code $} followed by anything else stays a {@code $};
 * {@code \$} in double quotes is a literal {@code $}; shell forms such as {@code ${A:-b}} are
 * rejected.
 *
 * <p>A name given twice: the later value wins. Names are {@code [A-Za-z_][A-Za-z0-9_]*}.
 */
final class DotEnv {
    private static final Pattern NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

    private final String file;
    private final String text;
    private final Map<String, String> into;
    private final Function<String, String> outside;
    private int pos;
    private int line = 1;

    private DotEnv(String file, String text, Map<String, String> into, Function<String, String> outside) {
        this.file = file;
        this.text = text;
        this.into = into;
        this.outside = outside;
    }

    /**
     * Adds the variables of {@code text} to {@code into}, in file order.
     *
     * @param file    the file name used in messages
     * @param into    the variables so far (earlier files): read for expansion, written
     * @param outside the environment expansion falls back to, e.g. {@code System::getenv}
     * @throws ConfigException {@code file:line: message}
     */
    static void parse(String file, String text, Map<String, String> into, Function<String, String> outside)
            throws ConfigException {
        new DotEnv(file, text, into, outside).parseAll();
    }

    private void parseAll() throws ConfigException {
        while (pos < text.length()) {
            skipBlanks();
            if (atEndOfLine()) {
                endOfLine();
                continue;
            }
            if (peek() == '#') {
                skipToEndOfLine();
                endOfLine();
                continue;
            }
            entry();
        }
    }

    private void entry() throws ConfigException {
        int start = line;
        if (text.startsWith("export", pos) && pos + 6 < text.length() && isBlank(text.charAt(pos + 6))) {
            pos += 6;
            skipBlanks();
        }
        int nameStart = pos;
        while (pos < text.length() && !isBlank(peek()) && peek() != '=' && !atEndOfLine()) {
            pos++;
        }
        String name = text.substring(nameStart, pos);
        skipBlanks();
        if (pos >= text.length() || peek() != '=') {
            throw ConfigException.at(file, start, "expected KEY=value");
        }
        if (!NAME.matcher(name).matches()) {
            throw ConfigException.at(file, start, name.isEmpty()
                    ? "expected KEY=value" : "invalid variable name '" + name + "'");
        }
        pos++; // '='
        skipBlanks();
        String value;
        if (pos < text.length() && peek() == '\'') {
            value = singleQuoted(start);
            afterQuote();
        } else if (pos < text.length() && peek() == '"') {
            value = doubleQuoted(start);
            afterQuote();
        } else {
            value = unquoted();
        }
        into.put(name, value);
        endOfLine();
    }

    private String singleQuoted(int start) throws ConfigException {
        int close = text.indexOf('\'', pos + 1);
        if (close < 0) {
            throw ConfigException.at(file, start, "unterminated single-quoted value");
        }
        String raw = text.substring(pos + 1, close);
        for (int i = 0; i < raw.length(); i++) {
            if (raw.charAt(i) == '\n') {
                line++;
            }
        }
        pos = close + 1;
        return raw.replace("\r\n", "\n");
    }

    private String doubleQuoted(int start) throws ConfigException {
        StringBuilder sb = new StringBuilder();
        pos++;
        while (true) {
            if (pos >= text.length()) {
                throw ConfigException.at(file, start, "unterminated double-quoted value");
            }
            char c = text.charAt(pos);
            if (c == '"') {
                pos++;
                return sb.toString();
            } else if (c == '\\' && pos + 1 < text.length()) {
                char e = text.charAt(pos + 1);
                switch (e) {
                    case 'n' -> sb.append('\n');
                    case 't' -> sb.append('\t');
                    case 'r' -> sb.append('\r');
                    case '"', '\\', '$' -> sb.append(e);
                    default -> {
                        // not an escape: the backslash stays, the next character is read normally
                        sb.append('\\');
                        pos++;
                        continue;
                    }
                }
                pos += 2;
            } else if (c == '$') {
                pos = expand(text, pos, sb, line);
            } else if (c == '\r' && pos + 1 < text.length() && text.charAt(pos + 1) == '\n') {
                pos++; // CRLF inside a value is a newline
            } else {
                if (c == '\n') {
                    line++;
                }
                sb.append(c);
                pos++;
            }
        }
    }

    /** After a closing quote: blanks, then a comment or the end of the line. */
    private void afterQuote() throws ConfigException {
        skipBlanks();
        if (atEndOfLine()) {
            return;
        }
        if (peek() != '#') {
            throw ConfigException.at(file, line, "unexpected text after the closing quote");
        }
        skipToEndOfLine();
    }

    private String unquoted() throws ConfigException {
        int start = pos;
        skipToEndOfLine();
        String raw = text.substring(start, pos);
        for (int i = 0; i < raw.length(); i++) {
            // the character before the value is '=' or a blank skipped after it
            char before = i > 0 ? raw.charAt(i - 1) : text.charAt(start - 1);
            if (raw.charAt(i) == '#' && isBlank(before)) {
                raw = raw.substring(0, i);
                break;
            }
        }
        raw = raw.strip();
        StringBuilder sb = new StringBuilder();
        int i = 0;
        while (i < raw.length()) {
            char c = raw.charAt(i);
            if (c == '$') {
                i = expand(raw, i, sb, line);
            } else {
                sb.append(c);
                i++;
            }
        }
        return sb.toString();
    }

    /** Expands the reference at {@code s[i] == '$'} into {@code sb}; returns the index after it. */
    private int expand(String s, int i, StringBuilder sb, int lineNo) throws ConfigException {
        int n = s.length();
        if (i + 1 < n && s.charAt(i + 1) == '{') {
            int close = i + 2;
            while (close < n && s.charAt(close) != '}' && s.charAt(close) != '\n' && s.charAt(close) != '"') {
                close++;
            }
            if (close >= n || s.charAt(close) != '}') {
                throw ConfigException.at(file, lineNo, "unterminated '${'");
            }
            String name = s.substring(i + 2, close);
            if (!NAME.matcher(name).matches()) {
                throw ConfigException.at(file, lineNo, "invalid variable reference '${" + name + "}'");
            }
            sb.append(lookup(name));
            return close + 1;
        }
        int end = i + 1;
        while (end < n && isNameChar(s.charAt(end), end == i + 1)) {
            end++;
        }
        if (end == i + 1) {
            sb.append('$');
            return end;
        }
        sb.append(lookup(s.substring(i + 1, end)));
        return end;
    }

    private String lookup(String name) {
        if (into.containsKey(name)) {
            return into.get(name);
        }
        String v = outside.apply(name);
        return v == null ? "" : v;
    }

    private static boolean isNameChar(char c, boolean first) {
        return c == '_' || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (!first && c >= '0' && c <= '9');
    }

    private static boolean isBlank(char c) {
        return c == ' ' || c == '\t';
    }

    private char peek() {
        return text.charAt(pos);
    }

    private void skipBlanks() {
        while (pos < text.length() && isBlank(peek())) {
            pos++;
        }
    }

    private boolean atEndOfLine() {
        return pos >= text.length() || peek() == '\n'
                || (peek() == '\r' && (pos + 1 >= text.length() || text.charAt(pos + 1) == '\n'));
    }

    private void skipToEndOfLine() {
        while (!atEndOfLine()) {
            pos++;
        }
    }

    /** Consumes the line end at {@code pos} (or nothing at the end of the text). */
    private void endOfLine() {
        if (pos < text.length() && peek() == '\r') {
            pos++;
        }
        if (pos < text.length() && peek() == '\n') {
            pos++;
            line++;
        }
    }
}
