package io.spawnkit.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import picocli.CommandLine;

class DurationConverterTest {

    /** The table in {@link DurationConverter}'s javadoc, plus case and blanks. */
    @ParameterizedTest(name = "\"{0}\" -> {1} ms")
    @CsvSource(delimiter = '|', value = {
        "250ms | 250",
        "10s   | 10000",
        "2m    | 120000",
        "1h    | 3600000",
        "1.5s  | 1500",
        "5     | 5000",
        "PT1M  | 60000",
        "pt1m  | 60000",
        "0     | 0",
        "' 10S '  | 10000",
        "1m30s | 90000",
    })
    void parsesTheDocumentedForms(String text, long millis) {
        assertThat(new DurationConverter().convert(text)).isEqualTo(Duration.ofMillis(millis));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "ten seconds", "10 s", "-5s", "5d", "1.5.2s", "PT"})
    void rejectsAnythingElseWithAHint(String text) {
        assertThatThrownBy(() -> DurationConverter.parse(text))
                .isInstanceOf(CommandLine.TypeConversionException.class)
                .hasMessageContaining("not a duration")
                .hasMessageContaining("10s");
    }

    @ParameterizedTest(name = "{0} ms -> \"{1}\"")
    @CsvSource(delimiter = '|', value = {
        "10000 | 10s",
        "0     | 0s",
        "250   | 250ms",
        "1500  | 1s500ms",
        "90000 | 1m30s",
    })
    void formatsAsTheShortestTextThatReadsBack(long millis, String text) {
        assertThat(DurationConverter.format(Duration.ofMillis(millis))).isEqualTo(text);
    }
}
