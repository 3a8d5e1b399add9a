package io.spawnkit.supervisor;

import static io.spawnkit.supervisor.Scripts.helper;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** build() refuses what cannot run, naming the problem, before anything starts. */
class ConfigTest {

    @Test
    void duplicateNames(@TempDir Path dir) {
        Path marker = dir.resolve("started");
        assertThatThrownBy(() -> Supervisor.builder()
                .helper(helper("web", "touch '" + marker + "'"))
                .helper(helper("web", "touch '" + marker + "'"))
                .build().start())
                .isInstanceOf(SupervisorConfigException.class).hasMessageContaining("duplicate helper name 'web'");
        assertThat(Files.exists(marker)).isFalse();
    }

    @Test
    void unknownDependency() {
        assertThatThrownBy(() -> Supervisor.builder()
                .helper(helper("web", "true").dependingOn("db", DependsOn.Condition.READY)).build())
                .isInstanceOf(SupervisorConfigException.class)
                .hasMessageContaining("helper 'web' depends on unknown helper 'db'");
    }

    @Test
    void aCycleIsNamedAlongItsPath() {
        assertThatThrownBy(() -> Supervisor.builder()
                .helper(helper("a", "true").dependingOn("b", DependsOn.Condition.STARTED))
                .helper(helper("b", "true").dependingOn("c", DependsOn.Condition.READY))
                .helper(helper("c", "true").dependingOn("a", DependsOn.Condition.STARTED))
                .helper(helper("d", "true").dependingOn("a", DependsOn.Condition.STARTED))
                .build())
                .isInstanceOf(SupervisorConfigException.class).hasMessage("dependency cycle: a -> b -> c -> a");
        assertThatThrownBy(() -> Supervisor.builder()
                .helper(helper("x", "true"))
                .helper(helper("self", "true").dependingOn("self", DependsOn.Condition.STARTED)).build())
                .isInstanceOf(SupervisorConfigException.class).hasMessage("dependency cycle: self -> self");
    }

    @Test
    void anUnknownHelperNamedByTheExitPolicy() {
        assertThatThrownBy(() -> Supervisor.builder().helper(helper("web", "true"))
                .exitPolicy(ExitPolicy.stopAllWhenEnds("tests")).build())
                .isInstanceOf(SupervisorConfigException.class).hasMessageContaining("unknown helper 'tests'");
    }

    @Test
    void aValidDescriptionBuildsAndKnowsItsHelpers() {
        Supervisor s = Supervisor.builder()
                .helper(helper("db", "true"))
                .helper(helper("web", "true").dependingOn("db", DependsOn.Condition.READY))
                .exitPolicy(ExitPolicy.stopAllWhenEnds("web")).build();
        assertThat(s.helperNames()).containsExactly("db", "web");
        assertThat(s.pid("db")).isEmpty();
        assertThatThrownBy(() -> s.pid("nope")).isInstanceOf(IllegalArgumentException.class);
        s.stop().join(); // never started: ends at once
    }
}
