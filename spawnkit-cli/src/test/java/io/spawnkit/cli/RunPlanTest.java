package io.spawnkit.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.spawnkit.Signal;
import io.spawnkit.cli.config.ProcessConfig;
import io.spawnkit.cli.config.RunConfig;
import io.spawnkit.supervisor.DependsOn;
import io.spawnkit.supervisor.ExitPolicy;
import io.spawnkit.supervisor.HelperSpec;
import io.spawnkit.supervisor.Readiness;
import io.spawnkit.supervisor.RestartPolicy;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RunPlanTest {

    private static final Path DIR = Path.of("/srv/app");

    private static ProcessConfig process(String name, List<DependsOn> deps) {
        return new ProcessConfig(name, List.of("/bin/sh", "-c", "run " + name), null, Map.of("A", "1", "PORT", "1"),
                RestartPolicy.onFailure().withBackoff(Duration.ofSeconds(1), Duration.ofSeconds(5), 3),
                Readiness.line("up"), deps, Signal.INT, Duration.ofSeconds(10), 1, "spawnkit.toml:1");
    }

    private static RunPlan plan(RunConfig config, String formation, List<String> only, RunPlan.Overrides o) {
        List<Formation.Instance> instances = Formation.plan(config.processes(),
                formation == null ? null : Formation.parse(formation), only, 5000);
        return RunPlan.of(config, instances, DIR, o);
    }

    @Test
    void eachInstanceGetsItsCommandEnvironmentAndDirectory() {
        RunConfig config = new RunConfig(List.of(process("web", List.of()), process("worker", List.of())), null);
        RunPlan p = plan(config, "web=2,worker=1", List.of(), RunPlan.Overrides.NONE);
        assertThat(p.names()).containsExactly("web.1", "web.2", "worker.1");
        HelperSpec web2 = p.helpers().get(1);
        assertThat(web2.command().argv()).containsExactly("/bin/sh", "-c", "run web");
        // PORT from the formation wins over the file's; PS names the instance, as in foreman
        assertThat(web2.command().environment()).containsEntry("A", "1").containsEntry("PORT", "5001")
                .containsEntry("PS", "web.2");
        assertThat(p.helpers().get(2).command().environment()).containsEntry("PORT", "5100");
        assertThat(web2.restart().mode()).isEqualTo(RestartPolicy.Mode.ON_FAILURE);
        assertThat(web2.readiness()).isInstanceOf(Readiness.Line.class);
        assertThat(web2.stopSignal()).isEqualTo(Signal.INT);
        assertThat(web2.stopGrace()).isEqualTo(Duration.ofSeconds(10));
        // foreman's default: stop all when any ends, the first one's code
        assertThat(p.exitPolicy()).isEqualTo(ExitPolicy.stopAllWhenAnyEnds());
        assertThat(p.warnings()).isEmpty();
    }

    @Test
    void overridesReplaceModeGraceAndSuccessButKeepTheBackoff() {
        RunConfig config = new RunConfig(List.of(process("web", List.of())), ExitPolicy.keepRunning());
        RunPlan p = plan(config, null, List.of(),
                new RunPlan.Overrides(RestartPolicy.Mode.ALWAYS, Duration.ofMillis(1500), ExitPolicy.Success.LAST));
        HelperSpec web = p.helpers().getFirst();
        assertThat(web.restart().mode()).isEqualTo(RestartPolicy.Mode.ALWAYS);
        assertThat(web.restart().initialDelay()).isEqualTo(Duration.ofSeconds(1));
        assertThat(web.stopGrace()).isEqualTo(Duration.ofMillis(1500));
        assertThat(p.exitPolicy()).isEqualTo(ExitPolicy.keepRunning().withSuccess(ExitPolicy.Success.LAST));
    }

    @Test
    void dependenciesOnATypeBecomeDependenciesOnEachInstance() {
        RunConfig config = new RunConfig(List.of(
                process("db", List.of()),
                process("web", List.of(new DependsOn("db", DependsOn.Condition.READY))),
                process("migrate", List.of()),
                process("worker", List.of(new DependsOn("web", DependsOn.Condition.STARTED),
                        new DependsOn("migrate", DependsOn.Condition.COMPLETED_SUCCESSFULLY),
                        new DependsOn("nosuch", DependsOn.Condition.READY)))), null);
        RunPlan p = plan(config, "all=1,db=2,migrate=0", List.of(), RunPlan.Overrides.NONE);
        assertThat(p.names()).containsExactly("db.1", "db.2", "web.1", "worker.1");
        assertThat(p.helpers().get(2).dependsOn()).containsExactly(
                new DependsOn("db.1", DependsOn.Condition.READY), new DependsOn("db.2", DependsOn.Condition.READY));
        // migrate does not run: dropped with a warning; nosuch is left for the supervisor to refuse
        assertThat(p.helpers().get(3).dependsOn()).containsExactly(
                new DependsOn("web.1", DependsOn.Condition.STARTED), new DependsOn("nosuch", DependsOn.Condition.READY));
        assertThat(p.warnings()).containsExactly("worker.1: not waiting for migrate, which does not run");
    }

    @Test
    void aPortCheckOnTheTypesPortFollowsEachInstancesPort() {
        ProcessConfig web = process("web", List.of());
        ProcessConfig onPort = new ProcessConfig("web", web.argv(), null, Map.of(), web.restart(),
                Readiness.port(5000), List.of(), Signal.TERM, Duration.ofSeconds(10), 3, "spawnkit.toml:1");
        ProcessConfig elsewhere = new ProcessConfig("db", web.argv(), null, Map.of(), web.restart(),
                Readiness.port(5432), List.of(), Signal.TERM, Duration.ofSeconds(10), 2, "spawnkit.toml:5");
        RunPlan p = plan(new RunConfig(List.of(onPort, elsewhere), null), null, List.of(), RunPlan.Overrides.NONE);
        assertThat(p.helpers()).extracting(h -> ((Readiness.Port) h.readiness()).port())
                .containsExactly(5000, 5001, 5002, 5432, 5432);
    }

    @Test
    void aNamedExitPolicyMeansTheTypesFirstInstance() {
        RunConfig config = new RunConfig(List.of(process("web", List.of()), process("test", List.of())),
                ExitPolicy.stopAllWhenEnds("test").withSuccess(ExitPolicy.Success.ALL));
        assertThat(plan(config, null, List.of(), RunPlan.Overrides.NONE).exitPolicy())
                .isEqualTo(ExitPolicy.stopAllWhenEnds("test.1").withSuccess(ExitPolicy.Success.ALL));
        RunPlan onlyWeb = plan(config, null, List.of("web"), RunPlan.Overrides.NONE);
        assertThat(onlyWeb.exitPolicy()).isEqualTo(ExitPolicy.stopAllWhenAnyEnds().withSuccess(ExitPolicy.Success.ALL));
        assertThat(onlyWeb.warnings()).hasSize(1);
    }
}
