package io.spawnkit.supervisor;

import static io.spawnkit.supervisor.Scripts.helper;
import static io.spawnkit.supervisor.Scripts.recorded;
import static org.assertj.core.api.Assertions.assertThat;

import io.spawnkit.Command;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Restart policies with real processes: backoff, the limit, reset, stops, spawn failures. */
class RestartTest {
    @RegisterExtension
    final Cleanup cleanup = new Cleanup();

    private static final RestartPolicy FAST = RestartPolicy.onFailure()
            .withBackoff(Duration.ofMillis(10), Duration.ofSeconds(1), 2.0).withJitter(0).withLimit(3, Duration.ofMinutes(5));

    @Test
    @Tag("portable")
    void aFailingHelperIsRestartedWithGrowingDelaysThenGivenUp() throws Exception {
        Recorder rec = new Recorder();
        Supervisor s = cleanup.start(recorded(rec).helper(helper("flaky", "echo run; exit 3").withRestart(FAST)));
        assertThat(s.exitCode().get(60, TimeUnit.SECONDS)).isEqualTo(3);

        assertThat(rec.kinds("flaky")).containsExactly(
                "Started", "Ready", "Exited", "Restarting",
                "Started", "Ready", "Exited", "Restarting",
                "Started", "Ready", "Exited", "Restarting",
                "Started", "Ready", "Exited", "GaveUp", "Stopped");
        assertThat(rec.events("flaky").stream().filter(e -> e instanceof SupervisorEvent.Restarting)
                .map(e -> (SupervisorEvent.Restarting) e))
                .extracting(SupervisorEvent.Restarting::attempt, SupervisorEvent.Restarting::delay)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple(1, Duration.ofMillis(10)),
                        org.assertj.core.groups.Tuple.tuple(2, Duration.ofMillis(20)),
                        org.assertj.core.groups.Tuple.tuple(3, Duration.ofMillis(40)));
        assertThat(rec.events("flaky").stream().filter(e -> e instanceof SupervisorEvent.Started)
                .map(e -> ((SupervisorEvent.Started) e).attempt())).containsExactly(0, 1, 2, 3);
        assertThat(rec.lines("flaky", LineListener.Stream.STDOUT)).containsExactly("run", "run", "run", "run");
        // every run's line comes before the decision taken after that run
        assertThat(rec.indexOfLine("flaky", "run")).isLessThan(rec.indexOfEvent("flaky", SupervisorEvent.Restarting.class));
    }

    @Test
    void restartsLeaveNoDescriptorBehind() throws Exception {
        // a first supervisor opens what stays open for good (the core's event loop and its wake-up)
        assertThat(cleanup.start(Supervisor.builder().logLines(false).helper(helper("warmup", "echo warm")))
                .exitCode().get(60, TimeUnit.SECONDS)).isZero();
        long before = openDescriptors();
        // its stdin a pipe nobody writes: closed with the run's other ends
        Supervisor s = cleanup.start(Supervisor.builder().logLines(false).helper(HelperSpec.of("churn",
                        Scripts.sh("echo out; echo err >&2; exit 1").stdin(io.spawnkit.Stdio.pipe()))
                .withRestart(FAST.withLimit(30, Duration.ofMinutes(5)).withBackoff(Duration.ZERO, Duration.ZERO, 1.0))));
        assertThat(s.exitCode().get(60, TimeUnit.SECONDS)).isEqualTo(1);
        assertThat(openDescriptors()).as("descriptors after 31 runs").isLessThan(before + 10);
    }

    private static long openDescriptors() throws java.io.IOException {
        try (var s = java.nio.file.Files.list(java.nio.file.Path.of("/proc/self/fd"))) {
            return s.count();
        }
    }

    @Test
    void onFailureLeavesACleanExitAlone() throws Exception {
        Recorder rec = new Recorder();
        Supervisor s = cleanup.start(recorded(rec).helper(helper("clean", "exit 0").withRestart(FAST)));
        assertThat(s.exitCode().get(60, TimeUnit.SECONDS)).isZero();
        assertThat(rec.kinds("clean")).containsExactly("Started", "Ready", "Exited", "Stopped");
    }

    @Test
    void alwaysRestartsACleanExitToo() throws Exception {
        Recorder rec = new Recorder();
        Supervisor s = cleanup.start(recorded(rec).helper(helper("again", "exit 0")
                .withRestart(FAST.withMode(RestartPolicy.Mode.ALWAYS).withLimit(2, Duration.ofMinutes(5)))));
        assertThat(s.exitCode().get(60, TimeUnit.SECONDS)).isZero();
        assertThat(rec.kinds("again").stream().filter("Started"::equals)).hasSize(3);
        assertThat(rec.kinds("again")).endsWith("GaveUp", "Stopped");
    }

    @Test
    void aStableRunForgetsTheEarlierRestarts() throws Exception {
        Recorder rec = new Recorder();
        // every run counts as stable: the delay stays the first one and the limit of 1 is never reached
        Supervisor s = cleanup.start(recorded(rec).helper(helper("stable", "exit 1")
                .withRestart(FAST.withLimit(1, Duration.ofMinutes(5)).withResetAfter(Duration.ZERO))));
        rec.await(o -> rec.events("stable").stream().filter(e -> e instanceof SupervisorEvent.Started).count() >= 4);
        s.stop().get(60, TimeUnit.SECONDS);
        assertThat(rec.kinds("stable")).doesNotContain("GaveUp").endsWith("Stopped");
        assertThat(rec.events("stable").stream().filter(e -> e instanceof SupervisorEvent.Restarting)
                .map(e -> ((SupervisorEvent.Restarting) e).delay())).hasSizeGreaterThanOrEqualTo(3)
                .containsOnly(Duration.ofMillis(10));
    }

    @Test
    void aStopDuringTheBackoffEndsTheHelperWithoutAnotherStart() throws Exception {
        Recorder rec = new Recorder();
        Supervisor s = cleanup.start(recorded(rec).helper(helper("waiting", "exit 2")
                .withRestart(FAST.withBackoff(Duration.ofHours(1), Duration.ofHours(1), 1.0))));
        rec.awaitEvent("waiting", SupervisorEvent.Restarting.class);
        s.stop().get(60, TimeUnit.SECONDS);
        assertThat(rec.kinds("waiting")).containsExactly("Started", "Ready", "Exited", "Restarting", "Stopped");
        assertThat(s.exitCode().get(60, TimeUnit.SECONDS)).isEqualTo(2);
    }

    @Test
    @Tag("portable")
    void aMissingProgramIsASpawnFailureUnderTheRestartPolicyAndTheOthersRunOn() throws Exception {
        Recorder rec = new Recorder();
        Supervisor s = cleanup.start(recorded(rec)
                .helper(HelperSpec.of("ghost", Command.of("/nonexistent/spawnkit-no-such-program"))
                        .withRestart(FAST.withLimit(2, Duration.ofMinutes(5))))
                .helper(helper("fine", "echo fine")));
        assertThat(s.exitCode().get(60, TimeUnit.SECONDS)).isEqualTo(127);
        assertThat(rec.kinds("ghost")).containsExactly(
                "SpawnFailed", "Restarting", "SpawnFailed", "Restarting", "SpawnFailed", "GaveUp", "Stopped");
        assertThat(rec.awaitEvent("ghost", SupervisorEvent.SpawnFailed.class).error())
                .hasMessageContaining("spawnkit-no-such-program");
        assertThat(rec.lines("fine", LineListener.Stream.STDOUT)).containsExactly("fine");
    }
}
