package io.spawnkit.cli.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class DurationsTest {

    /** The table in {@link Durations}' javadoc, plus case and blanks. */
    @ParameterizedTest(name = "\"{0}\" -> {1} ms")
    @CsvSource(delimiter = '|', value = {
        "250ms     | 250",
        "10s       | 10000",
        "10        | 10000",
        "2m        | 120000",
        "1h        | 3600000",
        "1m30s     | 90000",
        "1h2m3s4ms | 3723004",
        "1h30m     | 5400000",
        "1.5s      | 1500",
        "0.5       | 500",
        "0         | 0",
        "0ms       | 0",
        "' 10S '   | 10000",
        "1H1M      | 3660000",
    })
    void parsesTheDocumentedForms(String text, long millis) {
        assertThat(Durations.parse(text)).isEqualTo(Duration.ofMillis(millis));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", " ", "-1s", "10x", "5s1m", "1s1s", "1m 30s", "s", "1.s", ".5s", "PT1M", "1d", "1ms2s"})
    void rejectsAnythingElseWithAHint(String text) {
        assertThatThrownBy(() -> Durations.parse(text))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("not a duration: '" + text + "' (try 250ms, 10s, 2m, 1h, 1m30s)");
    }

    @Test
    void roundsBelowANanosecondDown() {
        assertThat(Durations.parse("0.0000000015")).isEqualTo(Duration.ofNanos(1));
    }

    @Test
    void rejectsOverflow() {
        assertThatThrownBy(() -> Durations.parse("99999999999999h"))
                .hasMessage("duration too long: '99999999999999h'");
    }

    @Test
    void secondsFromNumbers() {
        assertThat(Durations.ofSeconds(2.5, "2.5")).isEqualTo(Duration.ofMillis(2500));
        assertThat(Durations.ofSeconds(3, "3")).isEqualTo(Duration.ofSeconds(3));
        assertThatThrownBy(() -> Durations.ofSeconds(-1, "-1")).hasMessageStartingWith("not a duration: '-1'");
        assertThatThrownBy(() -> Durations.ofSeconds(Double.NaN, "nan")).hasMessageStartingWith("not a duration: 'nan'");
        assertThatThrownBy(() -> Durations.ofSeconds(Double.POSITIVE_INFINITY, "inf"))
                .hasMessageStartingWith("not a duration: 'inf'");
    }

    @ParameterizedTest
    @CsvSource({"0, 0s", "250, 250ms", "10000, 10s", "90000, 1m30s", "3723004, 1h2m3s4ms"})
    void formatIsReadBack(long millis, String text) {
        assertThat(Durations.format(Duration.ofMillis(millis))).isEqualTo(text);
        assertThat(Durations.parse(text)).isEqualTo(Duration.ofMillis(millis));
    }

    @Test
    void formatBelowAMillisecond() {
        assertThat(Durations.format(Duration.ofNanos(1_500_000))).isEqualTo("0.0015s");
        assertThat(Durations.parse("0.0015s")).isEqualTo(Duration.ofNanos(1_500_000));
    }
}
