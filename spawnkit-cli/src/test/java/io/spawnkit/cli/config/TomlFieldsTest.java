package io.spawnkit.cli.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Set;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class TomlFieldsTest {
    private static final Set<String> KEYS = Set.of("command", "cwd", "env", "env_file", "restart", "restart_delay",
            "ready", "ready_timeout", "replicas", "stop_signal");

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(nullValues = "-", value = {
        "comand, command",
        "commnad, command",
        "COMMAND, command",
        "envfile, env_file",
        "env-file, env_file",
        "cdw, cwd",
        "wd, cwd",
        "ready_timout, ready_timeout",
        "replica, replicas",
        "stopsignal, stop_signal",
        "x, -",
        "port, -",
        "tcp, -",
        "rdy, ready",
        "restart_limit, -",
        "name, -",
    })
    void aTypoIsMatchedToItsKey(String typo, String key) {
        assertThat(TomlFields.closest(typo, KEYS)).isEqualTo(key);
    }

    @ParameterizedTest(name = "{0} / {1} = {2}")
    @CsvSource({"a, a, 0", "'', abc, 3", "abc, '', 3", "kitten, sitting, 3", "ab, ba, 1", "abcd, acbd, 1", "cwd, cdw, 1"})
    void editDistance(String a, String b, int distance) {
        assertThat(TomlFields.editDistance(a, b)).isEqualTo(distance);
    }
}
