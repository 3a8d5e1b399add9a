package io.spawnkit.supervisor;

import static io.spawnkit.supervisor.Scripts.helper;
import static io.spawnkit.supervisor.Scripts.recorded;
import static org.assertj.core.api.Assertions.assertThat;

import io.spawnkit.ExitStatus;
import io.spawnkit.Signal;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** When the supervisor ends and with which exit code. */
class ExitPolicyTest {
    @RegisterExtension
    final Cleanup cleanup = new Cleanup();

    @Test
    void theFirstHelperToEndStopsTheOthersAndGivesItsCode() throws Exception {
        Recorder rec = new Recorder();
        Supervisor s = cleanup.start(recorded(rec).exitPolicy(ExitPolicy.stopAllWhenAnyEnds())
                .helper(helper("server", "exec sleep 1000"))
                .helper(helper("job", "exit 5").dependingOn("server", DependsOn.Condition.STARTED)));
        assertThat(s.exitCode().get(60, TimeUnit.SECONDS)).isEqualTo(5);
        assertThat(rec.awaitEvent("server", SupervisorEvent.Exited.class).status())
                .isEqualTo(new ExitStatus.Signaled(Signal.TERM, false));
        assertThat(rec.kinds("server")).endsWith("Exited", "Stopped");
    }

    @Test
    void theNamedHelperEndingStopsTheOthersButAnotherEndingDoesNot() throws Exception {
        Recorder rec = new Recorder();
        Supervisor s = cleanup.start(recorded(rec).exitPolicy(ExitPolicy.stopAllWhenEnds("tests")
                        .withSuccess(ExitPolicy.Success.LAST))
                .helper(helper("server", "exec sleep 1000"))
                .helper(helper("setup", "exit 0"))
                .helper(helper("tests", "echo testing; exit 6").dependingOn("setup", DependsOn.Condition.COMPLETED_SUCCESSFULLY)));
        // LAST: the server, stopped by SIGTERM
        assertThat(s.exitCode().get(60, TimeUnit.SECONDS)).isEqualTo(128 + 15);
        // setup ended first, and the server was not stopped for it
        assertThat(rec.indexOfEvent("setup", SupervisorEvent.Stopped.class))
                .isLessThan(rec.indexOfEvent("tests", SupervisorEvent.Started.class));
        assertThat(rec.indexOfEvent("server", SupervisorEvent.Exited.class))
                .isGreaterThan(rec.indexOfEvent("tests", SupervisorEvent.Stopped.class));
    }

    @Test
    @Tag("portable")
    void keepRunningWaitsForEveryHelperAndSuccessPicksTheCode() throws Exception {
        for (var c : List.of(List.of(ExitPolicy.Success.FIRST, 0), List.of(ExitPolicy.Success.LAST, 4),
                List.of(ExitPolicy.Success.ALL, 4))) {
            Recorder rec = new Recorder();
            Supervisor s = cleanup.start(recorded(rec).exitPolicy(ExitPolicy.keepRunning()
                            .withSuccess((ExitPolicy.Success) c.get(0)))
                    .helper(helper("one", "exit 0"))
                    .helper(helper("two", "exit 4").dependingOn("one", DependsOn.Condition.COMPLETED_SUCCESSFULLY)));
            assertThat(s.exitCode().get(60, TimeUnit.SECONDS)).as("%s", c.get(0)).isEqualTo(c.get(1));
            assertThat(rec.kinds("two")).endsWith("Exited", "Stopped");
        }
    }

    @Test
    void aDeathBySignalCountsAs128PlusItsNumber() throws Exception {
        Supervisor s = cleanup.start(Supervisor.builder().helper(helper("suicide", "kill -USR1 $$")));
        assertThat(s.exitCode().get(60, TimeUnit.SECONDS)).isEqualTo(128 + Signal.USR1.number());
    }

    @Test
    void noHelpersMeansExitCodeZeroAtOnce() throws Exception {
        Supervisor s = cleanup.start(Supervisor.builder());
        assertThat(s.exitCode().get(60, TimeUnit.SECONDS)).isZero();
        assertThat(s.stop()).succeedsWithin(java.time.Duration.ofMinutes(1));
    }

    @Test
    void durationsForPeople() {
        assertThat(Engine.format(java.time.Duration.ofMillis(200))).isEqualTo("200 ms");
        assertThat(Engine.format(java.time.Duration.ofMillis(1500))).isEqualTo("1.5 s");
        assertThat(Engine.format(java.time.Duration.ofMinutes(5))).isEqualTo("300 s");
        assertThat(Engine.format(java.time.Duration.ofNanos(100_000))).isEqualTo("0.1 ms");
        assertThat(Engine.format(java.time.Duration.ofNanos(2_500_000))).isEqualTo("2.5 ms");
    }

    @Test
    void exitCodeTable() {
        assertThat(Engine.exitCodeOf(ExitPolicy.Success.FIRST, List.of())).isZero();
        assertThat(Engine.exitCodeOf(ExitPolicy.Success.FIRST, List.of(0, 3, 4))).isZero();
        assertThat(Engine.exitCodeOf(ExitPolicy.Success.LAST, List.of(0, 3, 4))).isEqualTo(4);
        assertThat(Engine.exitCodeOf(ExitPolicy.Success.ALL, List.of(0, 3, 4))).isEqualTo(3);
        assertThat(Engine.exitCodeOf(ExitPolicy.Success.ALL, List.of(0, 0))).isZero();
    }
}
