package io.spawnkit.cli.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.spawnkit.cli.config.Procfile.Entry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ProcfileTest {

    @Test
    void readsEntriesInFileOrder() throws Exception {
        String text = """
                # a comment
                web: python3 -m http.server $PORT

                worker:   bundle exec sidekiq  \t
                  # an indented comment
                clock_2-x: ./clock --every 5 # passed to the shell
                """;
        assertThat(Procfile.parse("Procfile", text)).containsExactly(
                new Entry("web", "python3 -m http.server $PORT", 2),
                new Entry("worker", "bundle exec sidekiq", 4),
                new Entry("clock_2-x", "./clock --every 5 # passed to the shell", 6));
    }

    @Test
    void theCommandKeepsLaterColons() throws Exception {
        assertThat(Procfile.parse("Procfile", "web: curl http://localhost:80/"))
                .containsExactly(new Entry("web", "curl http://localhost:80/", 1));
    }

    @Test
    void spacesAroundTheNameAndCrlfLineEndings() throws Exception {
        assertThat(Procfile.parse("Procfile", "  web : a\r\nworker:b\r\n")).containsExactly(
                new Entry("web", "a", 1), new Entry("worker", "b", 2));
    }

    @Test
    void anEmptyFileHasNoEntries() throws Exception {
        assertThat(Procfile.parse("Procfile", "")).isEmpty();
        assertThat(Procfile.parse("Procfile", "\n# only a comment\n\n")).isEmpty();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
        "`web cmd`               | Procfile:2: expected 'name: command'",
        "`: cmd`                 | Procfile:2: expected 'name: command'",
        "`my.web: cmd`           | Procfile:2: invalid process name 'my.web' (letters, digits, '_' and '-')",
        "`web server: cmd`       | Procfile:2: invalid process name 'web server' (letters, digits, '_' and '-')",
        "`web:`                  | Procfile:2: empty command for 'web'",
        "`web:    `              | Procfile:2: empty command for 'web'",
        "`a: x`                  | Procfile:2: duplicate process name 'a' (first on line 1)",
    })
    void malformedLines(String line, String message) {
        assertThatThrownBy(() -> Procfile.parse("Procfile", "a: ok\n" + line + "\nb: ok\n"))
                .isInstanceOf(ConfigException.class)
                .hasMessage(message);
    }
}
