package io.spawnkit.internal.windows;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** {@link WindowsCommandLine}'s contract table, and the parsers it is checked against. */
class WindowsCommandLineTest {

    // Microsoft, "Parsing C command-line arguments": the table of example inputs (arguments after
    // the program name), the same for the CRT and CommandLineToArgvW except the last line.
    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '\'', textBlock = """
            "a b c" d e          | a b c  ,d      ,e
            "ab\\"c" "\\\\" d    | ab"c   ,\\     ,d
            a\\\\\\b d"e f"g h   | a\\\\\\b ,de fg ,h
            a\\\\\\"b c d        | a\\"b  ,c      ,d
            a\\\\\\\\"b c" d e   | a\\\\b c ,d    ,e
            """)
    void documentedVectorsForBothParsers(String line, String expected) {
        List<String> args = List.of(expected.split("\\s*,\\s*", -1));
        assertThat(arguments(ArgvParsers.msvcrt2008("prog " + line))).isEqualTo(args);
        assertThat(arguments(ArgvParsers.commandLineToArgvW("prog " + line))).isEqualTo(args);
    }

    @Test
    void doubledQuoteInsideQuotesIsWhereTheParsersDiffer() {
        assertThat(arguments(ArgvParsers.msvcrt2008("prog a\"b\"\" c d"))).containsExactly("ab\" c d");
        assertThat(arguments(ArgvParsers.commandLineToArgvW("prog a\"b\"\" c d"))).containsExactly("ab\"", "c", "d");
        // three quotes outside a quoted region: one literal quote for CommandLineToArgvW
        assertThat(arguments(ArgvParsers.commandLineToArgvW("prog \"\"\"a b"))).containsExactly("\"a", "b");
        assertThat(arguments(ArgvParsers.msvcrt2008("prog \"\"\"a b"))).containsExactly("\"a b");
    }

    @Test
    void programNameRule() {
        assertThat(ArgvParsers.commandLineToArgvW("\"C:\\Program Files\\a.exe\" x")).containsExactly("C:\\Program Files\\a.exe", "x");
        assertThat(ArgvParsers.commandLineToArgvW("C:\\a\\\"b c")).containsExactly("C:\\a\\\"b", "c");
        assertThat(ArgvParsers.msvcrt2008("\"C:\\Program Files\\a.exe\" x")).containsExactly("C:\\Program Files\\a.exe", "x");
        assertThat(ArgvParsers.commandLineToArgvW("\"\" x")).containsExactly("", "x");
    }

    // The contract table in WindowsCommandLine's javadoc, line by line.
    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '\'', textBlock = """
            hello                | hello
            ''                   | ""
            hello world          | "hello world"
            hello"world          | hello\\"world
            hello""world         | hello\\"\\"world
            hello\\world         | hello\\world
            hello\\\\world       | hello\\\\world
            hello\\"world        | hello\\\\\\"world
            hello\\\\"world      | hello\\\\\\\\\\"world
            hello world\\        | "hello world\\\\"
            hello\\              | hello\\
            "                    | \\"
            ' '                  | " "
            """)
    void appendQuotedTable(String arg, String expected) {
        StringBuilder out = new StringBuilder();
        WindowsCommandLine.appendQuoted(out, arg);
        assertThat(out.toString()).isEqualTo(expected);
        String line = "p " + out;
        assertThat(ArgvParsers.commandLineToArgvW(line)).containsExactly("p", arg);
        assertThat(ArgvParsers.msvcrt2008(line)).containsExactly("p", arg);
    }

    @Test
    void whiteSpaceOtherThanSpaceIsQuotedToo() {
        for (String arg : List.of("a\tb", "a\nb", "a\u000Bb")) {
            StringBuilder out = new StringBuilder();
            WindowsCommandLine.appendQuoted(out, arg);
            assertThat(out.toString()).isEqualTo('"' + arg + '"');
            assertThat(ArgvParsers.commandLineToArgvW("p " + out)).containsExactly("p", arg);
            assertThat(ArgvParsers.msvcrt2008("p " + out)).containsExactly("p", arg);
        }
    }

    @Test
    void buildTable() {
        assertThat(WindowsCommandLine.build(List.of("prog", "a", "b"), false)).isEqualTo("prog a b");
        assertThat(WindowsCommandLine.build(List.of("C:\\Program Files\\x.exe", "a"), false))
                .isEqualTo("\"C:\\Program Files\\x.exe\" a");
        assertThat(WindowsCommandLine.build(List.of("", "a"), false)).isEqualTo("\"\" a");
        assertThat(WindowsCommandLine.build(List.of("prog", ""), false)).isEqualTo("prog \"\"");
        assertThat(WindowsCommandLine.build(List.of("prog", "hello world"), false)).isEqualTo("prog \"hello world\"");
        assertThat(WindowsCommandLine.build(List.of("prog", "a\"b"), false)).isEqualTo("prog a\\\"b");
        assertThat(WindowsCommandLine.build(List.of("prog", "a\\b"), false)).isEqualTo("prog a\\b");
        assertThat(WindowsCommandLine.build(List.of("prog", "a\\\"b"), false)).isEqualTo("prog a\\\\\\\"b");
        assertThat(WindowsCommandLine.build(List.of("prog", "a b\\"), false)).isEqualTo("prog \"a b\\\\\"");
        assertThat(WindowsCommandLine.build(List.of("prog", "a\\"), false)).isEqualTo("prog a\\");
        assertThat(WindowsCommandLine.build(List.of("prog"), false)).isEqualTo("prog");
        assertThat(WindowsCommandLine.build(List.of("C:\\a b\\p.exe"), false)).isEqualTo("\"C:\\a b\\p.exe\"");
    }

    @Test
    void verbatimJoinsTheArgumentsUntouched() {
        assertThat(WindowsCommandLine.build(List.of("prog", "/c", "\"a b\" & c"), true)).isEqualTo("prog /c \"a b\" & c");
        assertThat(WindowsCommandLine.build(List.of("my prog", "x y"), true)).isEqualTo("\"my prog\" x y");
        assertThat(WindowsCommandLine.build(List.of("prog", "", "a"), true)).isEqualTo("prog  a");
        assertThat(WindowsCommandLine.build(List.of("prog", "a\\"), true)).isEqualTo("prog a\\");
    }

    @Test
    void refusals() {
        for (boolean verbatim : new boolean[] {false, true}) {
            assertThatThrownBy(() -> WindowsCommandLine.build(List.of("a\"b", "x"), verbatim))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("a\"b");
            assertThatThrownBy(() -> WindowsCommandLine.build(List.of("prog", "a\0b"), verbatim))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("NUL").hasMessageContaining("argument 1").hasMessageContaining("prog");
            assertThatThrownBy(() -> WindowsCommandLine.build(List.of("p\0"), verbatim))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("NUL");
            assertThatThrownBy(() -> WindowsCommandLine.build(List.of(), verbatim))
                    .isInstanceOf(IllegalArgumentException.class);
        }
    }

    private static List<String> arguments(List<String> argv) {
        return argv.subList(1, argv.size());
    }
}
