package io.spawnkit.internal.windows;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.spawnkit.SpawnException;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@link BatchFiles}: the batch-file check, the escaping table, the refusals, and a property checked
 * against {@link CmdModel}, a model of how cmd.exe reads the line after {@code /c} (a model written
 * from the documented behaviour, not cmd itself; the wine-oracle test runs the real one).
 */
class BatchFilesTest {
    private static final String COMSPEC = "C:\\Windows\\system32\\cmd.exe";
    private static final String PREFIX = "\"" + COMSPEC + "\" /e:ON /v:OFF /d /c \"";

    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '\'', textBlock = """
            x.bat                   | true
            x.cmd                   | true
            X.BAT                   | true
            x.Cmd                   | true
            C:\\dir\\run.bat        | true
            'x.bat.'                | true
            'x.bat. .'              | true
            'x.bat  '               | true
            'x.cmd . . ..'          | true
            .bat                    | true
            x.bat.exe               | false
            x.exe                   | false
            xbat                    | false
            x.batch                 | false
            x.ba                    | false
            bat                     | false
            ''                      | false
            '. .'                   | false
            C:\\x.bat\\y.exe        | false
            """)
    void isBatchFile(String path, boolean expected) {
        assertThat(BatchFiles.isBatchFile(path)).isEqualTo(expected);
    }

    // The table of BatchFiles.commandLine's javadoc, and the classic injection payloads.
    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '\'', textBlock = """
            hello                 | hello
            -v                    | -v
            C:\\a\\b.txt          | C:\\a\\b.txt
            a+b@c:d/e_f.g         | a+b@c:d/e_f.g
            ''                    | '""'
            a b                   | '"a b"'
            '"&calc.exe'          | '\"""&calc.exe"'
            '"&calc.exe&"'        | '\"""&calc.exe&\"""'
            %PATH%                | '"%%cd:~,%PATH%%cd:~,%"'
            %%                    | '"%%cd:~,%%%cd:~,%"'
            a^b                   | '"a^b"'
            '|'                   | '"|"'
            <                     | '"<"'
            >                     | '">"'
            !x!                   | '"!x!"'
            (x)                   | '"(x)"'
            a,b                   | '"a,b"'
            a;b                   | '"a;b"'
            a=b                   | '"a=b"'
            a\\                   | '"a\\\\"'
            a\\\\                 | '"a\\\\\\\\"'
            a\\"b                 | '"a\\\\""b"'
            a\\b                  | a\\b
            é                     | '"é"'
            """)
    void escapingTable(String arg, String expected) {
        String line = BatchFiles.commandLine(COMSPEC, "C:\\s.bat", List.of(arg), "s.bat");
        assertThat(line).isEqualTo(PREFIX + "\"C:\\s.bat\" " + expected + "\"");
        assertThat(CmdModel.read(line, COMSPEC)).containsExactly("C:\\s.bat", arg);
    }

    @Test
    void wholeLine() {
        assertThat(BatchFiles.commandLine("C:\\Windows\\system32\\cmd.exe", "C:\\My Scripts\\run.cmd",
                List.of("a", "b c", "&x"), "run"))
                .isEqualTo("\"C:\\Windows\\system32\\cmd.exe\" /e:ON /v:OFF /d /c "
                        + "\"\"C:\\My Scripts\\run.cmd\" a \"b c\" \"&x\"\"");
        assertThat(BatchFiles.commandLine(COMSPEC, "x.bat", List.of(), "x"))
                .isEqualTo(PREFIX + "\"x.bat\"\"");
        // a % in the script's path cannot expand either
        String line = BatchFiles.commandLine(COMSPEC, "C:\\%USERNAME%\\x.bat", List.of(), "x");
        assertThat(line).isEqualTo(PREFIX + "\"C:\\%%cd:~,%USERNAME%%cd:~,%\\x.bat\"\"");
        assertThat(CmdModel.read(line, COMSPEC)).containsExactly("C:\\%USERNAME%\\x.bat");
    }

    /** Payloads from the BatBadBut reports and the fixes that followed, each list one call. */
    static List<List<String>> payloads() {
        return List.of(
                List.of("a", "b"), List.of("c is for cat", "d is for dog"), List.of("\"", " \""),
                List.of("\\", "\\"), List.of(">file.txt"), List.of("&a.exe"), List.of("&echo hello "),
                List.of("&echo hello", "&whoami", ">file.txt"), List.of("!TMP!"), List.of("key=value"),
                List.of("\"key=value\""), List.of("key = value"), List.of("key=[\"value\"]"), List.of("", "a=b"),
                List.of("key=\"foo bar\""), List.of("key=[\"my_value]"), List.of("key\\=value"),
                List.of("key=\"&whoami\""), List.of("key=\"value\"=5"), List.of("%hello"), List.of("%PATH%"),
                List.of("%%cd:~,%"), List.of("%PATH%PATH%"), List.of("\">file.txt"), List.of("abc\"&echo hello"),
                List.of("123\">file.txt"), List.of("\"&echo hello&whoami.exe"),
                List.of("hello^\"world", "hello &echo oh no >file.txt"), List.of("a\\\\\\\"&calc", "x\\\\"),
                List.of("(", ")", "^", "|", "<", ">", "&&", "||"));
    }

    @ParameterizedTest
    @MethodSource("payloads")
    void knownPayloadsStayArguments(List<String> args) {
        String line = BatchFiles.commandLine(COMSPEC, "C:\\t\\args.bat", args, "args.bat");
        List<String> expected = new ArrayList<>();
        expected.add("C:\\t\\args.bat");
        expected.addAll(args);
        assertThat(CmdModel.read(line, COMSPEC)).as(line).isEqualTo(expected);
    }

    @Test
    void refusesWhatNoQuotingCanPass() {
        for (String bad : List.of("a\nb", "a\rb", "a\0b", "\n", "&\r\ncalc.exe")) {
            assertThatThrownBy(() -> BatchFiles.commandLine(COMSPEC, "x.bat", List.of("ok", bad), "x.bat"))
                    .isInstanceOfSatisfying(SpawnException.class, e -> {
                        assertThat(e.errnoName()).isEqualTo("EINVAL");
                        assertThat(e.errno()).isEqualTo(22);
                        assertThat(e.syscall()).isEqualTo("CreateProcessW");
                        assertThat(e.program()).isEqualTo("x.bat");
                        assertThat(e.directory()).isEmpty();
                        assertThat(e.detail()).contains("argument 2").containsPattern("U\\+000[AD0]");
                    });
        }
        for (String script : List.of("a\"b.bat", "C:\\dir\\", "", "a\nb.bat", "a\u0007.bat")) {
            assertThatThrownBy(() -> BatchFiles.commandLine(COMSPEC, script, List.of(), "x"))
                    .isInstanceOfSatisfying(SpawnException.class,
                            e -> assertThat(e.errnoName()).isEqualTo("EINVAL"));
        }
        for (String comSpec : List.of("", "c\"md.exe", "cmd\n.exe")) {
            assertThatThrownBy(() -> BatchFiles.commandLine(comSpec, "x.bat", List.of(), "x"))
                    .isInstanceOfSatisfying(SpawnException.class,
                            e -> assertThat(e.errnoName()).isEqualTo("EINVAL"));
        }
    }

    @Test
    void theModelCatchesTheUnescapedForms() {
        // the model must see the attacks a naive quoting lets through
        assertThatThrownBy(() -> CmdModel.read(PREFIX + "\"x.bat\" \"\\\"&calc.exe\"\"", COMSPEC))
                .hasMessageContaining("&");
        assertThatThrownBy(() -> CmdModel.read(PREFIX + "\"x.bat\" \"%PATH%\"\"", COMSPEC))
                .hasMessageContaining("PATH");
        assertThatThrownBy(() -> CmdModel.read(PREFIX + "\"x.bat\" a^b\"", COMSPEC))
                .hasMessageContaining("^");
    }

    // Pieces: every cmd metacharacter, quotes, backslash runs, delimiters, non-ASCII.
    private static final List<String> PIECES = List.of(
            "a", "Z", "9", "-", ".", "\\", "\\\\", "\"", "\"\"", "%", "%%", "PATH", "%PATH%", "cd:~,", "&", "|",
            "<", ">", "^", "(", ")", "!", " ", "\t", ",", ";", "=", "@", "é", "\uD83D\uDE00", "\uFF02", "\u000C");

    @Provide
    Arbitrary<List<String>> batchArguments() {
        Arbitrary<String> pieces = Arbitraries.of(PIECES).list().ofMaxSize(8).map(l -> String.join("", l));
        Arbitrary<String> anything = Arbitraries.strings().all().ofMaxLength(10)
                .filter(s -> s.indexOf('\0') < 0 && s.indexOf('\r') < 0 && s.indexOf('\n') < 0);
        return Arbitraries.frequencyOf(Tuple.of(4, pieces), Tuple.of(1, anything)).list().ofMaxSize(6);
    }

    @Provide
    Arbitrary<String> scripts() {
        return Arbitraries.of("C:\\s.bat", "C:\\My Files\\a&b.cmd", "C:\\100%\\x.bat", "C:\\%PATH%\\^(x).BAT",
                "\\\\server\\share\\x.bat", "run.cmd");
    }

    @Property(tries = 5000)
    void cmdSeesNoMetacharacterOutsideQuotesAndTheScriptGetsItsArguments(
            @ForAll("scripts") String script, @ForAll("batchArguments") List<String> args) {
        String line = BatchFiles.commandLine(COMSPEC, script, args, script);
        List<String> expected = new ArrayList<>();
        expected.add(script);
        expected.addAll(args);
        assertThat(CmdModel.read(line, COMSPEC)).as(line).isEqualTo(expected);
    }

    /**
     * A model of cmd.exe reading {@code cmd /c <line>}, enough to show an escaping safe, and the
     * throwing kind: it fails on anything an attacker could use.
     * <ol>
     * <li>/c quote handling: the line holds more than two quotes, so the first character (a quote)
     *     and the last quote are removed.
     * <li>Percent expansion on a command line: at a {@code %}, the text up to the next {@code %} is a
     *     name; an empty name leaves the first {@code %} as text and starts again at the second;
     *     {@code cd:~,} (an empty substring of the current directory) expands to nothing; any other
     *     name fails the model, which assumes every variable defined and hostile.
     * <li>Special characters: {@code "} toggles the quote state; outside quotes any of
     *     {@code & | < > ^ ( ) % !} fails the model, as do CR, LF and NUL anywhere.
     * <li>The script's arguments: split at space, tab, {@code , ; =}, vertical tab and form feed
     *     outside quotes: the token count must be one plus the argument count; then each token is
     *     read as the CRT would read it if the script passed {@code %*} on to a C program, which must
     *     give back the arguments.
     * </ol>
     * Returns the script's path followed by the arguments so read.
     */
    static final class CmdModel {
        private static final String SPECIAL = "&|<>^()%!";

        static List<String> read(String line, String comSpec) {
            String prefix = "\"" + comSpec + "\" /e:ON /v:OFF /d /c ";
            assertThat(line).startsWith(prefix + "\"").endsWith("\"");
            String body = line.substring(prefix.length());
            assertThat(body.chars().filter(c -> c == '"').count()).as("more than two quotes").isGreaterThan(2);
            body = body.substring(1, body.length() - 1); // /c: first char and last quote removed
            String expanded = expandPercents(body);
            List<String> tokens = new ArrayList<>();
            StringBuilder token = new StringBuilder();
            boolean quoted = false;
            for (int i = 0; i < expanded.length(); i++) {
                char c = expanded.charAt(i);
                if (c == '\r' || c == '\n' || c == '\0') {
                    throw new AssertionError("line break or NUL reaches cmd at " + i + ": " + expanded);
                }
                if (c == '"') {
                    quoted = !quoted;
                } else if (!quoted && SPECIAL.indexOf(c) >= 0) {
                    throw new AssertionError("'" + c + "' outside quotes at " + i + ": " + expanded);
                } else if (!quoted && " \t,;=\u000B\u000C".indexOf(c) >= 0) {
                    if (!token.isEmpty()) {
                        tokens.add(token.toString());
                        token.setLength(0);
                    }
                    continue;
                }
                token.append(c);
            }
            if (quoted) {
                throw new AssertionError("the line ends inside quotes: " + expanded);
            }
            if (!token.isEmpty()) {
                tokens.add(token.toString());
            }
            List<String> out = new ArrayList<>();
            for (String t : tokens) {
                List<String> crt = ArgvParsers.msvcrt2008("p " + t);
                assertThat(crt).as("token %s is one argument", t).hasSize(2);
                out.add(crt.get(1));
            }
            return out;
        }

        private static String expandPercents(String s) {
            StringBuilder out = new StringBuilder();
            int i = 0;
            while (i < s.length()) {
                char c = s.charAt(i);
                int close = c == '%' ? s.indexOf('%', i + 1) : -1;
                if (close < 0) {
                    out.append(c);
                    i++;
                } else if (close == i + 1) {
                    out.append('%'); // empty name: the first % is text, start again at the second
                    i++;
                } else {
                    String name = s.substring(i + 1, close);
                    if (!name.equals("cd:~,")) {
                        throw new AssertionError("%" + name + "% would expand: " + s);
                    }
                    i = close + 1;
                }
            }
            return out.toString();
        }
    }
}
