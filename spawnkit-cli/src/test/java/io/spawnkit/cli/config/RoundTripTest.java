package io.spawnkit.cli.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.RepetitionInfo;

/**
 * Random values written the way a person or a generator would write them, read back unchanged:
 * TOML strings of all four kinds and integers of all four bases, .env double-quoted values.
 * Seeded by the repetition, so a failure names its seed.
 */
class RoundTripTest {
    /** Characters that need care: quotes, backslash, '$', '#', control characters, non-ASCII, a surrogate pair. */
    private static final String[] PIECES = {
        "a", "Z", "0", " ", "\t", "\n", "\r", "\"", "'", "\\", "$", "{", "}", "#", "=", ".", "é", "\u0001",
        "\u007f", "\u00a0", "\uD83D\uDE00", "\"\"", "\"\"\"", "''", "$HOME", "${X}", "\\n", "u", "U",
    };

    private static String randomText(Random r) {
        StringBuilder sb = new StringBuilder();
        int n = r.nextInt(12);
        for (int i = 0; i < n; i++) {
            sb.append(PIECES[r.nextInt(PIECES.length)]);
        }
        return sb.toString();
    }

    /** A TOML basic string: escapes for quote, backslash and control characters, random forms. */
    private static String tomlBasic(String s, Random r, boolean multiLine) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '"' || c == '\\') {
                sb.append('\\').append(c);
            } else if (c == '\n' && multiLine && r.nextBoolean()) {
                sb.append('\n');
            } else if (c == '\n') {
                sb.append(r.nextBoolean() ? "\\n" : "\\u000A");
            } else if (c == '\t' && r.nextBoolean()) {
                sb.append('\t');
            } else if (c < 0x20 || c == 0x7f) {
                sb.append(r.nextBoolean() ? String.format("\\u%04x", (int) c) : String.format("\\U%08X", (int) c));
            } else if (Character.isHighSurrogate(c) && r.nextBoolean()) {
                sb.append(String.format("\\U%08x", s.codePointAt(i)));
                i++;
            } else {
                sb.append(c);
            }
        }
        // a newline right after the opening quotes is dropped by the reader: always write one
        return multiLine ? "\"\"\"\n" + sb + "\"\"\"" : "\"" + sb + "\"";
    }

    @RepeatedTest(300)
    void tomlStrings(RepetitionInfo info) throws Exception {
        Random r = new Random(info.getCurrentRepetition());
        String s = randomText(r);
        assertThat(Toml.parse("t.toml", "v = " + tomlBasic(s, r, false) + "\n").get("v")).isEqualTo(s);
        assertThat(Toml.parse("t.toml", "v = " + tomlBasic(s, r, true) + "\n").get("v")).isEqualTo(s);
        assertThat(Toml.parse("t.toml", tomlBasic(s, r, false) + " = 1\n").keys()).containsExactly(s);
        boolean literalOk = s.chars().noneMatch(c -> c == '\'' || c == '\n' || c == '\r' || c == 0x7f
                || (c < 0x20 && c != '\t'));
        if (literalOk) {
            assertThat(Toml.parse("t.toml", "v = '" + s + "'\n").get("v")).isEqualTo(s);
        }
        boolean multiLiteralOk = !s.contains("'''") && !s.endsWith("'") && !s.startsWith("\n") && !s.contains("\r")
                && s.chars().noneMatch(c -> c == 0x7f || (c < 0x20 && c != '\t' && c != '\n'));
        if (multiLiteralOk) {
            assertThat(Toml.parse("t.toml", "v = '''" + s + "'''\n").get("v")).isEqualTo(s);
        }
    }

    @RepeatedTest(300)
    void tomlIntegers(RepetitionInfo info) throws Exception {
        Random r = new Random(info.getCurrentRepetition());
        long n = switch (r.nextInt(3)) {
            case 0 -> r.nextLong();
            case 1 -> r.nextInt(1000) - 500;
            default -> r.nextBoolean() ? Long.MAX_VALUE : Long.MIN_VALUE;
        };
        String text = switch (n < 0 ? 0 : r.nextInt(4)) {
            case 0 -> withUnderscores(Long.toString(Math.abs(n)), r);
            case 1 -> "0x" + withUnderscores(Long.toHexString(n), r);
            case 2 -> "0o" + withUnderscores(Long.toOctalString(n), r);
            default -> "0b" + withUnderscores(Long.toBinaryString(n), r);
        };
        if (n < 0) {
            text = n == Long.MIN_VALUE ? "-9223372036854775808" : "-" + text;
        } else if (r.nextInt(4) == 0 && !text.startsWith("0x") && !text.startsWith("0o") && !text.startsWith("0b")) {
            text = "+" + text;
        }
        assertThat(Toml.parse("t.toml", "v = " + text + "\n").get("v")).as(text).isEqualTo(n);
    }

    /** {@code digits} with an underscore between some of them. */
    private static String withUnderscores(String digits, Random r) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < digits.length(); i++) {
            if (i > 0 && r.nextInt(4) == 0) {
                sb.append('_');
            }
            sb.append(digits.charAt(i));
        }
        return sb.toString();
    }

    @RepeatedTest(300)
    void dotEnvDoubleQuotedValues(RepetitionInfo info) throws Exception {
        Random r = new Random(info.getCurrentRepetition());
        String s = randomText(r);
        StringBuilder quoted = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            switch (c) {
                case '"', '\\', '$' -> quoted.append('\\').append(c);
                case '\r' -> quoted.append("\\r");
                case '\n' -> quoted.append(r.nextBoolean() ? "\\n" : "\n");
                case '\t' -> quoted.append(r.nextBoolean() ? "\\t" : "\t");
                default -> quoted.append(c);
            }
        }
        quoted.append('"');
        Map<String, String> env = new LinkedHashMap<>();
        DotEnv.parse(".env", "A=" + quoted + (r.nextBoolean() ? "  # comment" : "") + "\nB=after\n", env, k -> null);
        assertThat(env).containsExactly(Map.entry("A", s), Map.entry("B", "after"));
    }
}
