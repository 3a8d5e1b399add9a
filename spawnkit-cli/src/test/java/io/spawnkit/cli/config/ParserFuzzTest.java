package io.spawnkit.cli.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.HashMap;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Whatever the text, the Procfile, .env and TOML readers give a result or a ConfigException that
 * names the file ({@code file:line: message}, or {@code file: message}), never another exception
 * and never a hang: random text made of the characters their syntax turns on, and valid files with
 * random edits.
 */
class ParserFuzzTest {

    private static final String PROCFILE = "web: python3 -m http.server $PORT\n# a comment\nworker: sh -c 'echo \"hi\"'\n";
    private static final String DOTENV = "export A=1\nB=\"two words\\n\"\nC='single $A'\n# c\nD=${A}x\n";
    private static final String TOML = "[processes.web]\ncommand = \"python3 -m http.server\"\nrestart = \"on-failure\"\n"
            + "env = { A = \"1\", B = '''x''' }\ndepends_on = [\"db\"]\n[processes.db]\ncommand = [\"sleep\", \"9\"]\n"
            + "ready = { line = \"^up\" }\nstop_grace = \"2s\"\n";

    @Property(tries = 2000)
    void theProcfileReaderGivesAResultOrAConfigException(@ForAll("procfiles") String text) {
        check("Procfile", () -> Procfile.parse("Procfile", text));
    }

    @Property(tries = 2000)
    void theDotEnvReaderGivesAResultOrAConfigException(@ForAll("dotenvs") String text) {
        check(".env", () -> DotEnv.parse(".env", text, new HashMap<>(), name -> null));
    }

    @Property(tries = 2000)
    void theTomlReaderGivesAResultOrAConfigException(@ForAll("tomls") String text) {
        check("spawnkit.toml", () -> SpawnkitToml.map(Path.of("spawnkit.toml"), Toml.parse("spawnkit.toml", text),
                name -> null));
    }

    private interface Read {
        void run() throws ConfigException;
    }

    private static void check(String file, Read read) {
        try {
            read.run();
        } catch (ConfigException e) {
            assertThat(e.getMessage()).startsWith(file + ":");
        }
    }

    @Provide
    Arbitrary<String> procfiles() {
        return Arbitraries.oneOf(noise(":# \t$'\"\\=-"), edits(PROCFILE));
    }

    @Provide
    Arbitrary<String> dotenvs() {
        return Arbitraries.oneOf(noise("=#'\"\\$ {}\texport"), edits(DOTENV));
    }

    @Provide
    Arbitrary<String> tomls() {
        return Arbitraries.oneOf(noise("[]{}=\"'.,#\\ \t-:+0123456789truefalse"), edits(TOML));
    }

    /** Random text weighted towards {@code syntax}, with newlines and any other character. */
    private static Arbitrary<String> noise(String syntax) {
        Arbitrary<Character> c = Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(6, Arbitraries.of(syntax.chars().mapToObj(i -> (char) i).toArray(Character[]::new))),
                net.jqwik.api.Tuple.of(2, Arbitraries.of('\n', '\r', 'a', 'b', 'x', '_')),
                net.jqwik.api.Tuple.of(1, Arbitraries.chars()));
        return c.list().ofMaxSize(200).map(list -> {
            StringBuilder sb = new StringBuilder();
            list.forEach(sb::append);
            return sb.toString();
        });
    }

    /** {@code valid} with up to 6 random characters inserted, deleted or replaced. */
    private static Arbitrary<String> edits(String valid) {
        Arbitrary<int[]> edit = Combinators.combine(Arbitraries.integers().between(0, 2),
                Arbitraries.integers().between(0, valid.length()), Arbitraries.chars().ascii())
                .as((kind, at, ch) -> new int[] {kind, at, ch});
        return edit.list().ofMaxSize(6).map(list -> {
            StringBuilder sb = new StringBuilder(valid);
            for (int[] e : list) {
                int at = Math.min(e[1], sb.length());
                switch (e[0]) {
                    case 0 -> sb.insert(at, (char) e[2]);
                    case 1 -> {
                        if (at < sb.length()) {
                            sb.deleteCharAt(at);
                        }
                    }
                    default -> {
                        if (at < sb.length()) {
                            sb.setCharAt(at, (char) e[2]);
                        }
                    }
                }
            }
            return sb.toString();
        });
    }
}
