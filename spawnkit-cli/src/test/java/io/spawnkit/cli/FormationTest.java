package io.spawnkit.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.spawnkit.cli.config.ProcessConfig;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class FormationTest {

    private static final List<ProcessConfig> WEB_WORKER = List.of(
            ProcessConfig.procfileLine("web", "serve", Map.of(), "Procfile:1"),
            ProcessConfig.procfileLine("worker", "work", Map.of(), "Procfile:2"));

    /** The table in {@link Formation}'s javadoc: instance names with their PORT. */
    @ParameterizedTest(name = "-m {0} -> {1}")
    @CsvSource(delimiter = '|', value = {
        "''              | web.1=5000 worker.1=5100",
        "web=2           | web.1=5000 web.2=5001",
        "all=2,worker=0  | web.1=5000 web.2=5001",
        "all=1,web=3     | web.1=5000 web.2=5001 web.3=5002 worker.1=5100",
        "web=0           | ''",
        "' web = 1 , worker=2 ' | web.1=5000 worker.1=5100 worker.2=5101",
    })
    void namesAndPortsFollowForeman(String formation, String expected) {
        Formation f = formation.isEmpty() ? null : Formation.parse(formation);
        assertThat(describe(Formation.plan(WEB_WORKER, f, List.of(), 5000))).isEqualTo(expected);
    }

    @Test
    void basePortShiftsEveryInstance() {
        assertThat(describe(Formation.plan(WEB_WORKER, Formation.parse("all=2"), List.of(), 3000)))
                .isEqualTo("web.1=3000 web.2=3001 worker.1=3100 worker.2=3101");
    }

    @Test
    void namesRestrictTheTypesAndKeepTheirFilePositionForThePort() {
        assertThat(describe(Formation.plan(WEB_WORKER, null, List.of("worker"), 5000))).isEqualTo("worker.1=5100");
        // a named type that -m does not mention runs its replicas, not foreman's 0
        assertThat(describe(Formation.plan(WEB_WORKER, Formation.parse("web=2"), List.of("worker"), 5000)))
                .isEqualTo("worker.1=5100");
        assertThat(describe(Formation.plan(WEB_WORKER, Formation.parse("worker=3"), List.of("worker"), 5000)))
                .isEqualTo("worker.1=5100 worker.2=5101 worker.3=5102");
    }

    @Test
    void replicasOfTheFileCountWithoutFormation() {
        ProcessConfig p = WEB_WORKER.getFirst();
        ProcessConfig three = new ProcessConfig(p.name(), p.argv(), p.directory(), p.env(), p.restart(),
                p.readiness(), p.dependsOn(), p.stopSignal(), p.stopGrace(), 3, p.source());
        assertThat(describe(Formation.plan(List.of(three), null, List.of(), 5000)))
                .isEqualTo("web.1=5000 web.2=5001 web.3=5002");
    }

    @Test
    void unknownTypesAreErrorsThatListTheKnownOnes() {
        assertThatThrownBy(() -> Formation.plan(WEB_WORKER, null, List.of("wbe"), 5000))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("unknown process type 'wbe' (the file defines: web, worker)");
        assertThatThrownBy(() -> Formation.plan(WEB_WORKER, Formation.parse("db=1"), List.of(), 5000))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("-m: unknown process type 'db'");
    }

    @Test
    void portsBeyond65535AreRefused() {
        assertThatThrownBy(() -> Formation.plan(WEB_WORKER, null, List.of(), 65500))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("worker.1 would be 65600");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "web", "web=", "web=x", "=2", "web=2,,worker=1", "web=-1", "web:2"})
    void malformedFormationsAreRefusedWithAHint(String spec) {
        assertThatThrownBy(() -> Formation.parse(spec))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("web=2,worker=1");
    }

    @Test
    void parseKeepsAllApart() {
        Formation f = Formation.parse("all=1,web=2");
        assertThat(f.all()).isEqualTo(1);
        assertThat(f.counts()).containsExactly(Map.entry("web", 2));
        assertThat(f.count("worker", 7)).isEqualTo(1);
        assertThat(Formation.parse("web=2").count("worker", 7)).isEqualTo(7);
    }

    private static String describe(List<Formation.Instance> instances) {
        return String.join(" ", instances.stream().map(i -> i.name() + "=" + i.port()).toList());
    }
}
