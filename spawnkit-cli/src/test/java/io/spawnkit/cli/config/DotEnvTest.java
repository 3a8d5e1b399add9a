package io.spawnkit.cli.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.entry;

import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class DotEnvTest {
    private static final Map<String, String> OUTSIDE = Map.of("HOME", "/home/me", "USER", "me");

    private static Map<String, String> parse(String text) throws ConfigException {
        Map<String, String> env = new LinkedHashMap<>();
        DotEnv.parse(".env", text, env, OUTSIDE::get);
        return env;
    }

    @Test
    void plainValuesCommentsAndBlankLines() throws Exception {
        assertThat(parse("""
                # comment
                A=1

                  B = two words  # a comment
                C=a#b
                D=
                export E=exported
                F=	tab	
                """)).containsExactly(entry("A", "1"), entry("B", "two words"), entry("C", "a#b"),
                entry("D", ""), entry("E", "exported"), entry("F", "tab"));
    }

    @Test
    void aHashRightAfterEqualsIsTheValue() throws Exception {
        assertThat(parse("A=#x\nB= #comment only\n")).containsExactly(entry("A", "#x"), entry("B", ""));
    }

    @Test
    void singleQuotesAreLiteral() throws Exception {
        assertThat(parse("A='a $HOME \\n \"q\"'  # c\nB=''\n"))
                .containsExactly(entry("A", "a $HOME \\n \"q\""), entry("B", ""));
    }

    @Test
    void doubleQuotesHaveEscapes() throws Exception {
        assertThat(parse("A=\"l1\\nl2\\tt\\\"q\\\" \\\\ \\$HOME \\r\"\nB=\"C:\\path\"\n"))
                .containsExactly(entry("A", "l1\nl2\tt\"q\" \\ $HOME \r"), entry("B", "C:\\path"));
    }

    @Test
    void expansionFromEarlierEntriesThenTheEnvironment() throws Exception {
        assertThat(parse("""
                DIR=$HOME/app
                LOG="${DIR}/log ${USER}"
                BOTH=$DIR:$NOPE:x
                HOME=/override
                AFTER=$HOME
                LITERAL='$HOME'
                DOLLAR=a$ b$1 $-
                NUM=${A_1}x$USER_
                """)).containsExactly(entry("DIR", "/home/me/app"), entry("LOG", "/home/me/app/log me"),
                entry("BOTH", "/home/me/app::x"), entry("HOME", "/override"), entry("AFTER", "/override"),
                entry("LITERAL", "$HOME"), entry("DOLLAR", "a$ b$1 $-"), entry("NUM", "x"));
    }

    @Test
    void earlierFilesAreSeenAndLaterOnesWin() throws Exception {
        Map<String, String> env = new LinkedHashMap<>();
        DotEnv.parse("a.env", "A=1\nB=2\n", env, OUTSIDE::get);
        DotEnv.parse("b.env", "B=$A$B\nC=3\n", env, OUTSIDE::get);
        assertThat(env).containsExactly(entry("A", "1"), entry("B", "12"), entry("C", "3"));
    }

    @Test
    void aLaterValueOfTheSameNameWins() throws Exception {
        assertThat(parse("A=1\nA=2\n")).containsExactly(entry("A", "2"));
    }

    @Test
    void multiLineValues() throws Exception {
        assertThat(parse("A=\"line 1\nline 2 $USER\"\nB='x\r\ny'\nC=after\n"))
                .containsExactly(entry("A", "line 1\nline 2 me"), entry("B", "x\ny"), entry("C", "after"));
    }

    @Test
    void lineNumbersCountInsideMultiLineValues() {
        assertThatThrownBy(() -> parse("A=\"1\n2\n3\"\nbad line\n")).hasMessage(".env:4: expected KEY=value");
    }

    @Test
    void crlfAndNoFinalNewline() throws Exception {
        assertThat(parse("A=1\r\nB=\"2\"\r\nC=3")).containsExactly(entry("A", "1"), entry("B", "2"), entry("C", "3"));
    }

    @Test
    void exportAloneIsAName() throws Exception {
        assertThat(parse("export=1\nexported=2\n")).containsExactly(entry("export", "1"), entry("exported", "2"));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
        "`NOVALUE`                 | .env:2: expected KEY=value",
        "`export NOVALUE`          | .env:2: expected KEY=value",
        "`=value`                  | .env:2: expected KEY=value",
        "`A B=c`                   | .env:2: expected KEY=value",
        "`1A=x`                    | .env:2: invalid variable name '1A'",
        "`A-B=x`                   | .env:2: invalid variable name 'A-B'",
        "`A='x`                    | .env:2: unterminated single-quoted value",
        "`A=\"x`                   | .env:2: unterminated double-quoted value",
        "`A=\"x\" y`               | .env:2: unexpected text after the closing quote",
        "`A='x'y`                  | .env:2: unexpected text after the closing quote",
        "`A=${B`                   | .env:2: unterminated '${'",
        "`A=\"${B\"`               | .env:2: unterminated '${'",
        "`A=${B:-x}`               | .env:2: invalid variable reference '${B:-x}'",
        "`A=${}`                   | .env:2: invalid variable reference '${}'",
    })
    void malformedLines(String line, String message) {
        assertThatThrownBy(() -> parse("OK=1\n" + line + "\n"))
                .isInstanceOf(ConfigException.class)
                .hasMessage(message);
    }

    @Test
    void anUnterminatedQuoteIsReportedWhereItStarts() {
        assertThatThrownBy(() -> parse("A=1\nB=\"open\nmore\nlines\n")).hasMessage(".env:2: unterminated double-quoted value");
        assertThatThrownBy(() -> parse("A=1\nB='open\nmore\n")).hasMessage(".env:2: unterminated single-quoted value");
    }

    @Test
    void textAfterAMultiLineValueIsReportedOnItsLine() {
        assertThatThrownBy(() -> parse("A=\"1\n2\" x\n")).hasMessage(".env:2: unexpected text after the closing quote");
    }
}
