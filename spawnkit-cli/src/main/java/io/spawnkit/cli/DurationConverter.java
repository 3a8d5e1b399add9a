package io.spawnkit.cli;

import io.spawnkit.cli.config.Durations;
import java.time.Duration;
import java.util.Locale;
import picocli.CommandLine;

/**
 * Durations on the command line: what {@link Durations} reads in config files ({@code 250ms},
 * {@code 10s}, {@code 2m}, {@code 1h}, {@code 1m30s}, {@code 1.5s}, a plain number of seconds), and
 * ISO-8601 ({@code PT1M}) besides.
 */
final class DurationConverter implements CommandLine.ITypeConverter<Duration> {

    @Override
    public Duration convert(String value) {
        return parse(value);
    }

    static Duration parse(String value) {
        try {
            return Durations.parse(value);
        } catch (IllegalArgumentException notOurs) {
            try {
                return Duration.parse(value.strip().toUpperCase(Locale.ROOT));
            } catch (RuntimeException e) {
                throw new CommandLine.TypeConversionException(notOurs.getMessage());
            }
        }
    }

    static String format(Duration d) {
        return Durations.format(d);
    }
}
