package io.spawnkit.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.spawnkit.cli.config.ConfigFiles;
import io.spawnkit.cli.config.RunConfig;
import io.spawnkit.supervisor.ExitPolicy;
import io.spawnkit.supervisor.HelperSpec;
import io.spawnkit.supervisor.Supervisor;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The files of {@code examples/} that the README tells people to run stay valid: they are read and
 * turned into a supervisor (which checks names and dependencies) without starting anything.
 */
class ExamplesTest {

    /** Surefire runs in the module's directory. */
    private static final Path EXAMPLES = Path.of("..", "examples");

    private static Supervisor build(RunPlan plan) {
        Supervisor.Builder b = Supervisor.builder().exitPolicy(plan.exitPolicy()).logLines(false);
        for (HelperSpec h : plan.helpers()) {
            b.helper(h);
        }
        return b.build();
    }

    @Test
    void theProcfileOfTheQuickStart() throws Exception {
        Path procfile = EXAMPLES.resolve("Procfile");
        RunConfig config = ConfigFiles.loadProcfile(procfile, RunCommand.besideProcfile(procfile));
        List<Formation.Instance> instances = Formation.plan(config.processes(), null, List.of(), 5000);
        RunPlan plan = RunPlan.of(config, instances, procfile.toAbsolutePath().getParent(), RunPlan.Overrides.NONE);
        assertThat(plan.names()).containsExactly("web.1", "ticker.1", "grumpy.1", "flaky.1");
        assertThat(plan.helpers().getFirst().command().environment())
                .containsEntry("PORT", "5000")
                .containsEntry("GREETING", "hello from examples/.env");
        assertThat(plan.helpers().getFirst().command().argv().getLast()).contains("http.server $PORT");
        build(plan);
    }

    @Test
    void theTomlWithRestartsReadinessAndDependencies() throws Exception {
        RunConfig config = ConfigFiles.loadToml(EXAMPLES.resolve("spawnkit.toml"));
        List<Formation.Instance> instances = Formation.plan(config.processes(), null, List.of(), 5000);
        RunPlan plan = RunPlan.of(config, instances, null, RunPlan.Overrides.NONE);
        assertThat(plan.names()).containsExactly("web.1", "db.1", "migrate.1", "client.1", "flaky.1");
        assertThat(plan.exitPolicy()).isEqualTo(ExitPolicy.stopAllWhenEnds("web.1"));
        // the readiness check of web names the port its PORT gives it
        assertThat(plan.helpers().getFirst().command().environment()).containsEntry("PORT", "5000");
        assertThat(plan.helpers().getFirst().readiness().toString()).contains("5000");
        build(plan);
    }
}
