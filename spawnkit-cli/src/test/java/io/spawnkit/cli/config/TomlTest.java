package io.spawnkit.cli.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.spawnkit.cli.config.Toml.Table;
import io.spawnkit.cli.config.Toml.TableArray;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class TomlTest {

    private static Table parse(String text) throws ConfigException {
        return Toml.parse("t.toml", text);
    }

    private static Object value(String tomlValue) throws ConfigException {
        return parse("v = " + tomlValue + "\n").get("v");
    }

    private static Table table(Table t, String... path) {
        for (String p : path) {
            t = (Table) t.get(p);
        }
        return t;
    }

    @Test
    void keysOfEveryKindKeepTheirLines() throws Exception {
        Table root = parse("""
                # comment
                bare_key-1 = 1   # trailing comment
                "quoted key" = 2
                'literal "key"' = 3
                a.b . c = 4
                "" = 5
                1234 = 6
                """);
        assertThat(root.keys()).containsExactly("bare_key-1", "quoted key", "literal \"key\"", "a", "", "1234");
        assertThat(root.entry("bare_key-1").line()).isEqualTo(2);
        assertThat(root.entry("1234").line()).isEqualTo(7);
        assertThat(table(root, "a", "b").get("c")).isEqualTo(4L);
        assertThat(table(root, "a").line()).isEqualTo(5);
        assertThat(table(root, "a").kind()).isEqualTo(Toml.Kind.DOTTED);
    }

    @Test
    void tablesAndSubTables() throws Exception {
        Table root = parse("""
                top = true

                [process.web]
                command = "a"

                [ process . "db" ]   # spaces are allowed
                command = "b"

                [process]
                x = 1
                """);
        Table process = table(root, "process");
        assertThat(process.keys()).containsExactly("web", "db", "x");
        assertThat(process.line()).isEqualTo(9);
        assertThat(table(process, "web").line()).isEqualTo(3);
        assertThat(table(process, "web").get("command")).isEqualTo("a");
        assertThat(table(process, "db").get("command")).isEqualTo("b");
        assertThat(root.get("top")).isEqualTo(true);
    }

    @Test
    void aTableDefinedAfterItsSubTableTakesTheLineOfItsHeader() throws Exception {
        Table root = parse("[a.b]\n[z]\n[a]\nx = 1\n");
        assertThat(root.keys()).containsExactly("a", "z");
        assertThat(root.entry("a").line()).isEqualTo(3);
        assertThat(table(root, "a").line()).isEqualTo(3);
        assertThat(table(root, "a").keys()).containsExactly("b", "x");
    }

    @Test
    void aHeaderMayGoInsideATableMadeByDottedKeys() throws Exception {
        Table root = parse("""
                [fruit]
                apple.color = "red"
                [fruit.apple.texture]
                smooth = true
                """);
        assertThat(table(root, "fruit", "apple", "texture").get("smooth")).isEqualTo(true);
        assertThat(table(root, "fruit", "apple").get("color")).isEqualTo("red");
    }

    @Test
    void arraysOfTables() throws Exception {
        Table root = parse("""
                [[item]]
                n = 1
                [item.sub]
                x = "a"
                [[item]]
                n = 2
                """);
        TableArray items = (TableArray) root.get("item");
        assertThat(items).hasSize(2);
        assertThat(items.get(0).get("n")).isEqualTo(1L);
        assertThat(table(items.get(0), "sub").get("x")).isEqualTo("a");
        assertThat(items.get(1).get("n")).isEqualTo(2L);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
        "`\"plain\"`                          | plain",
        "`\"tab\\there\"`                     | `tab\there`",
        "`\"q\\\"\\\\\\b\\f\\r\"`             | `q\"\\\b\f\r`",
        "`\"\\u00e9\\U0001F600\"`             | `\u00e9\uD83D\uDE00`",
        "`'C:\\no\\escapes'`                  | `C:\\no\\escapes`",
        "`''`                                 | ``",
        "`\"\"`                               | ``",
        "`\"a # not a comment\"`              | `a # not a comment`",
    })
    void strings(String toml, String expected) throws Exception {
        assertThat(value(toml)).isEqualTo(expected == null ? "" : expected);
    }

    @Test
    void multiLineBasicStrings() throws Exception {
        assertThat(value("\"\"\"\nline 1\n  line 2\\n\"\"\"")).isEqualTo("line 1\n  line 2\n");
        assertThat(value("\"\"\"one \\\n    two \\\n\n  three\"\"\"")).isEqualTo("one two three");
        assertThat(value("\"\"\"a \"quoted\" \"\" b\"\"\"")).isEqualTo("a \"quoted\" \"\" b");
        assertThat(value("\"\"\"ends with quotes\"\"\"\"\"")).isEqualTo("ends with quotes\"\"");
        assertThat(value("\"\"\"\r\ncrlf\r\nline\"\"\"")).isEqualTo("crlf\nline");
    }

    @Test
    void multiLineLiteralStrings() throws Exception {
        assertThat(value("'''\nfirst\n\\d+ 'x' \\n\n'''")).isEqualTo("first\n\\d+ 'x' \\n\n");
        assertThat(value("''''one quote''''")).isEqualTo("'one quote'");
    }

    @Test
    void linesAreCountedThroughMultiLineValues() throws Exception {
        Table root = parse("a = \"\"\"\n1\n2\n\"\"\"\nb = [\n  1,\n  2,\n]\nc = '''\nx'''\nd = 1\n");
        assertThat(root.entry("a").line()).isEqualTo(1);
        assertThat(root.entry("b").line()).isEqualTo(5);
        assertThat(root.entry("c").line()).isEqualTo(9);
        assertThat(root.entry("d").line()).isEqualTo(11);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "0         | 0",
        "+17       | 17",
        "-17       | -17",
        "1_000_000 | 1000000",
        "0xDEAD_beef | 3735928559",
        "0o755     | 493",
        "0b1101    | 13",
        "9223372036854775807  | 9223372036854775807",
        "-9223372036854775808 | -9223372036854775808",
    })
    void integers(String toml, long expected) throws Exception {
        assertThat(value(toml)).isEqualTo(expected);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "1.5       | 1.5",
        "-0.25     | -0.25",
        "5e+2      | 500",
        "1E-2      | 0.01",
        "6.626e-34 | 6.626e-34",
        "1_000.000_1 | 1000.0001",
        "inf       | Infinity",
        "-inf      | -Infinity",
        "+inf      | Infinity",
        "nan       | NaN",
    })
    void floats(String toml, double expected) throws Exception {
        assertThat(value(toml)).isEqualTo(expected);
    }

    @Test
    void booleans() throws Exception {
        assertThat(value("true")).isEqualTo(true);
        assertThat(value("false")).isEqualTo(false);
    }

    @Test
    void arrays() throws Exception {
        assertThat(value("[]")).isEqualTo(List.of());
        assertThat(value("[1, 2, 3]")).isEqualTo(List.of(1L, 2L, 3L));
        assertThat(value("[ \"a\", 'b', ]")).isEqualTo(List.of("a", "b"));
        assertThat(value("[\n  1,  # one\n  # nothing\n  [2, 'x'],\n\n]")).isEqualTo(List.of(1L, List.of(2L, "x")));
        assertThat(value("[1, \"mixed\", 1.5, true]")).isEqualTo(List.of(1L, "mixed", 1.5, true));
    }

    @Test
    void inlineTables() throws Exception {
        Table t = (Table) value("{ line = \"ready\", a.b = 1, nested = { x = [1, 2] } }");
        assertThat(t.keys()).containsExactly("line", "a", "nested");
        assertThat(t.kind()).isEqualTo(Toml.Kind.INLINE);
        assertThat(table(t, "a").get("b")).isEqualTo(1L);
        assertThat(table(t, "a").kind()).isEqualTo(Toml.Kind.INLINE);
        assertThat(table(t, "nested").get("x")).isEqualTo(List.of(1L, 2L));
        assertThat(((Table) value("{}")).keys()).isEmpty();
        assertThat((List<?>) value("[{a = 1}, {a = 2}]")).hasSize(2);
    }

    @Test
    void arraysInInlineTablesMaySpanLines() throws Exception {
        Table t = (Table) value("{ a = [\n1,\n2] }");
        assertThat(t.get("a")).isEqualTo(List.of(1L, 2L));
    }

    @Test
    void crlfAndNoFinalNewline() throws Exception {
        assertThat(parse("a = 1\r\n[t]\r\nb = 2").keys()).containsExactly("a", "t");
    }

    @Test
    void typeNames() {
        assertThat(Toml.typeName("s")).isEqualTo("string");
        assertThat(Toml.typeName(1L)).isEqualTo("integer");
        assertThat(Toml.typeName(1.0)).isEqualTo("float");
        assertThat(Toml.typeName(true)).isEqualTo("boolean");
        assertThat(Toml.typeName(List.of())).isEqualTo("array");
        assertThat(Toml.typeName(new Table(Toml.Kind.INLINE, 1))).isEqualTo("table");
    }

    /** Each case: the document (\n written as a literal backslash-n) and the exact message. */
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
        // keys
        "`a = 1\\na = 2`                      | t.toml:2: duplicate key 'a' (first on line 1)",
        "`a.b = 1\\na.b = 2`                  | t.toml:2: duplicate key 'a.b' (first on line 1)",
        "`a = 1\\n\"a\" = 2`                  | t.toml:2: duplicate key 'a' (first on line 1)",
        "`a = 1\\na.b = 2`                    | t.toml:2: cannot set 'a.b': 'a' is already defined on line 1",
        "`a = {}\\na.b = 2`                   | t.toml:2: cannot set 'a.b': 'a' is already defined on line 1",
        "`[a.b.c]\\nz = 1\\n[a]\\nb.c.t = 2`  | t.toml:4: cannot set 'b.c.t': 'b' is already defined on line 1",
        "`a b = 1`                            | t.toml:1: expected '=' after the key",
        "`a`                                  | t.toml:1: expected '=' after the key",
        "`= 1`                                | t.toml:1: expected a key, found '='",
        "`a. = 1`                             | t.toml:1: expected a key, found '='",
        "`\"\"\"a\"\"\" = 1`                  | t.toml:1: a key cannot be a multi-line string",
        "`a@b = 1`                            | t.toml:1: expected '=' after the key",
        // tables
        "`[a]\\n[a]`                          | t.toml:2: duplicate table [a] (first on line 1)",
        "`[a.b]\\n[a]\\n[a]`                  | t.toml:3: duplicate table [a] (first on line 2)",
        "`[a]\\nb = 1\\n[a.b]`                | t.toml:3: cannot define [a.b]: 'a.b' is already defined on line 2",
        "`[a]\\nb.c = 1\\n[a.b]`              | t.toml:3: cannot define [a.b]: 'a.b' is already defined on line 2",
        "`a = 1\\n[a.b]`                      | t.toml:2: cannot define [a.b]: 'a' is already defined on line 1 as integer",
        "`a = {b = 1}\\n[a.c]`                | t.toml:2: cannot define [a.c]: 'a' is already defined on line 1 as table (inline)",
        "`a = [1]\\n[[a]]`                    | t.toml:2: cannot define [[a]]: 'a' is already defined on line 1",
        "`[[a]]\\n[a]`                        | t.toml:2: cannot define [a]: 'a' is already defined on line 1",
        "`[a`                                 | t.toml:1: expected ']' after the table name",
        "`[[a]`                               | t.toml:1: expected ']]' after the table name",
        "`[]`                                 | t.toml:1: expected a key, found ']'",
        "`[a] b = 1`                          | t.toml:1: expected the end of the line, found 'b'",
        // values
        "`a =`                                | t.toml:1: expected a value",
        "`a = \\nb = 1`                       | t.toml:1: expected a value, found the end of the line",
        "`a = 1 2`                            | t.toml:1: expected the end of the line, found '2'",
        "`a = hello`                          | t.toml:1: invalid value 'hello' (strings need quotes)",
        "`a = True`                           | t.toml:1: invalid value 'True' (strings need quotes)",
        "`a = 01`                             | t.toml:1: invalid value '01' (strings need quotes)",
        "`a = 1__0`                           | t.toml:1: invalid value '1__0' (strings need quotes)",
        "`a = _1`                             | t.toml:1: invalid value '_1' (strings need quotes)",
        "`a = 1_`                             | t.toml:1: invalid value '1_' (strings need quotes)",
        "`a = 1.`                             | t.toml:1: invalid value '1.' (strings need quotes)",
        "`a = .5`                             | t.toml:1: invalid value '.5' (strings need quotes)",
        "`a = 0x`                             | t.toml:1: invalid value '0x' (strings need quotes)",
        "`a = -0x1`                           | t.toml:1: invalid value '-0x1' (strings need quotes)",
        "`a = 9223372036854775808`            | t.toml:1: integer out of range: 9223372036854775808",
        "`a = 0x1_0000_0000_0000_0000`        | t.toml:1: integer out of range: 0x1_0000_0000_0000_0000",
        "`a = 1e400`                          | t.toml:1: float out of range: 1e400",
        "`a = 1979-05-27`                     | t.toml:1: dates and times are not supported: 1979-05-27",
        "`a = 07:32:00`                       | t.toml:1: dates and times are not supported: 07:32:00",
        "`a = 1979-05-27T07:32:00Z`           | t.toml:1: dates and times are not supported: 1979-05-27T07:32:00Z",
        // strings
        "`a = \"open`                         | t.toml:1: unterminated string",
        "`a = \"open\\nb = 1`                 | t.toml:1: unterminated string",
        "`a = 'open`                          | t.toml:1: unterminated string",
        "`a = \"\\x41\"`                      | t.toml:1: invalid escape '\\x'",
        "`a = \"\\u12\"`                      | t.toml:1: invalid unicode escape: expected 4 hex digits",
        "`a = \"\\uD800\"`                    | t.toml:1: invalid unicode escape: D800 is not a Unicode scalar value",
        "`a = \"\\U00110000\"`                | t.toml:1: invalid unicode escape: 00110000 is not a Unicode scalar value",
        "`a = \"\"\"\\n1\\n2`                 | t.toml:1: unterminated multi-line string",
        "`x = 1\\na = '''\\n1`                | t.toml:2: unterminated multi-line string",
        "`a = \"\"\"x\"\"\"\"\"\"`               | t.toml:1: too many quotes at the end of a multi-line string",
        "`a = \"\"\"\\n\\ x\"\"\"`           | t.toml:2: invalid escape '\\ '",
        // arrays and inline tables
        "`a = [1, 2`                          | t.toml:1: unterminated array",
        "`a = [\\n1,\\n2\\n`                  | t.toml:1: unterminated array",
        "`a = [1 2]`                          | t.toml:1: expected ',' or ']' in the array, found '2'",
        "`a = [1,,2]`                         | t.toml:1: expected a value, found ','",
        "`a = [,]`                            | t.toml:1: expected a value, found ','",
        "`a = {b = 1,}`                       | t.toml:1: trailing comma in an inline table",
        "`a = {b = 1\\n}`                     | t.toml:1: an inline table must be on one line (unterminated '{'?)",
        "`a = {\\nb = 1}`                     | t.toml:1: an inline table must be on one line (unterminated '{'?)",
        "`a = {b = 1 c = 2}`                  | t.toml:1: expected ',' or '}' in the inline table, found 'c'",
        "`a = {b = 1, b = 2}`                 | t.toml:1: duplicate key 'b' (first on line 1)",
        "`a = {b = {}, b.c = 2}`              | t.toml:1: cannot set 'b.c': 'b' is already defined on line 1",
    })
    void malformedDocuments(String text, String message) {
        assertThatThrownBy(() -> parse(text.replace("\\n", "\n")))
                .isInstanceOf(ConfigException.class)
                .hasMessage(message);
    }

    @Test
    void controlCharacters() {
        assertThatThrownBy(() -> parse("a = \"x\u0001\""))
                .hasMessage("t.toml:1: control character U+0001 in a string (use an escape)");
        assertThatThrownBy(() -> parse("a = 'x\u007f'"))
                .hasMessage("t.toml:1: control character U+007F in a string (use an escape)");
        assertThatThrownBy(() -> parse("a = 1 # x\u0000"))
                .hasMessage("t.toml:1: control character U+0000 in a comment");
        assertThatThrownBy(() -> parse("a = 1\rb = 2"))
                .hasMessage("t.toml:1: expected the end of the line, found a carriage return");
    }

    @Test
    void theLineOfAnErrorInsideAMultiLineArray() {
        assertThatThrownBy(() -> parse("a = [\n  1,\n  2 3,\n]"))
                .hasMessage("t.toml:3: expected ',' or ']' in the array, found '3'");
        assertThatThrownBy(() -> parse("a = [\n  1,\n  \"x\n]"))
                .hasMessage("t.toml:3: unterminated string");
    }
}
