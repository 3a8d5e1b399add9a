package io.spawnkit.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.spawnkit.cli.LineFormatter.Kind;
import java.util.List;
import org.junit.jupiter.api.Test;

class LineFormatterTest {

    private static final List<String> NAMES = List.of("web.1", "worker.10");

    @Test
    void plainLinesArePaddedToTheLongestName() {
        LineFormatter f = new LineFormatter(NAMES, false, true, false);
        assertThat(f.format("12:00:01", "web.1", Kind.STDOUT, "GET /")).isEqualTo("12:00:01 web.1     | GET /");
        assertThat(f.format("12:00:01", "worker.10", Kind.STDOUT, "x")).isEqualTo("12:00:01 worker.10 | x");
        assertThat(f.format("12:00:01", "system", Kind.EVENT, "bye")).isEqualTo("12:00:01 system    | bye");
    }

    @Test
    void systemSetsTheMinimumWidth() {
        LineFormatter f = new LineFormatter(List.of("a.1"), false, true, false);
        assertThat(f.width()).isEqualTo("system".length());
        assertThat(f.format("00:00:00", "a.1", Kind.EVENT, "started with pid 7"))
                .isEqualTo("00:00:00 a.1    | started with pid 7");
    }

    @Test
    void stderrHasItsOwnSeparator() {
        LineFormatter f = new LineFormatter(NAMES, false, true, false);
        assertThat(f.format("12:00:01", "web.1", Kind.STDERR, "oops")).isEqualTo("12:00:01 web.1     ! oops");
    }

    @Test
    void withoutTimestamps() {
        LineFormatter f = new LineFormatter(NAMES, false, false, false);
        assertThat(f.format("12:00:01", "web.1", Kind.STDOUT, "a")).isEqualTo("web.1     | a");
    }

    @Test
    void rawIsTheLineAloneEvenWithColour() {
        LineFormatter f = new LineFormatter(NAMES, true, true, true);
        assertThat(f.format("12:00:01", "web.1", Kind.STDERR, "a | b")).isEqualTo("a | b");
        assertThat(f.color()).isFalse();
    }

    @Test
    void coloursCycleByNameAndMarkStderrInRed() {
        LineFormatter f = new LineFormatter(NAMES, true, true, false);
        assertThat(f.format("12:00:01", "web.1", Kind.STDOUT, "a"))
                .isEqualTo("\u001b[36m12:00:01 web.1     |\u001b[0m a");
        assertThat(f.format("12:00:01", "worker.10", Kind.STDOUT, "a"))
                .isEqualTo("\u001b[33m12:00:01 worker.10 |\u001b[0m a");
        assertThat(f.format("12:00:01", "web.1", Kind.STDERR, "a"))
                .isEqualTo("\u001b[36m12:00:01 web.1     \u001b[0m\u001b[1;31m!\u001b[0m a");
        assertThat(f.format("12:00:01", "system", Kind.EVENT, "a"))
                .isEqualTo("\u001b[1m12:00:01 system    |\u001b[0m a");
    }

    @Test
    void aLineWithItsOwnEscapesIsFollowedByAReset() {
        LineFormatter f = new LineFormatter(NAMES, true, false, false);
        assertThat(f.format("", "web.1", Kind.STDOUT, "\u001b[31mred"))
                .isEqualTo("\u001b[36mweb.1     |\u001b[0m \u001b[31mred\u001b[0m");
        // without colour the line is left exactly as it came
        assertThat(new LineFormatter(NAMES, false, false, false).format("", "web.1", Kind.STDOUT, "\u001b[31mred"))
                .isEqualTo("web.1     | \u001b[31mred");
    }

    @Test
    void noAnsiAtAllWithoutColour() {
        LineFormatter f = new LineFormatter(NAMES, false, true, false);
        for (Kind k : Kind.values()) {
            assertThat(f.format("12:00:01", "web.1", k, "text")).doesNotContain("\u001b");
        }
    }

    @Test
    void appendEndsEachLineWithANewline() {
        Bytes out = new Bytes(64);
        LineFormatter f = new LineFormatter(NAMES, false, false, false);
        f.append(out, "", "web.1", Kind.STDOUT, "a");
        f.append(out, "", "web.1", Kind.STDOUT, "");
        assertThat(out.toString(java.nio.charset.StandardCharsets.UTF_8)).isEqualTo("web.1     | a\nweb.1     | \n");
    }
}
