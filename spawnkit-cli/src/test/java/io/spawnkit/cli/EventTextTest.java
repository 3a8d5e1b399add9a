package io.spawnkit.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.spawnkit.ExitStatus;
import io.spawnkit.Signal;
import io.spawnkit.supervisor.SupervisorEvent;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class EventTextTest {

    /** The table in {@link EventText}'s javadoc. */
    @Test
    void everyEventReadsLikeForeman() {
        assertThat(EventText.of(new SupervisorEvent.Started("w.1", 42, 0))).isEqualTo("started with pid 42");
        assertThat(EventText.of(new SupervisorEvent.Started("w.1", 43, 2))).isEqualTo("restarted with pid 43 (restart 2)");
        assertThat(EventText.of(new SupervisorEvent.Ready("w.1"))).isEqualTo("ready");
        assertThat(EventText.of(new SupervisorEvent.NotReady("w.1", "no port 80 after 60s")))
                .isEqualTo("not ready: no port 80 after 60s");
        assertThat(EventText.of(new SupervisorEvent.SpawnFailed("w.1", new RuntimeException("ENOENT"))))
                .isEqualTo("could not start: ENOENT");
        assertThat(EventText.of(new SupervisorEvent.Exited("w.1", ExitStatus.exited(1)))).isEqualTo("exited with code 1");
        assertThat(EventText.of(new SupervisorEvent.Exited("w.1", ExitStatus.signaled(Signal.TERM, false))))
                .isEqualTo("killed by SIGTERM");
        assertThat(EventText.of(new SupervisorEvent.Exited("w.1", ExitStatus.signaled(Signal.SEGV, true))))
                .isEqualTo("killed by SIGSEGV (core dumped)");
        assertThat(EventText.of(new SupervisorEvent.Restarting("w.1", 1, Duration.ofMillis(250))))
                .isEqualTo("restarting in 250ms (restart 1)");
        assertThat(EventText.of(new SupervisorEvent.GaveUp("w.1", "5 restarts in 60s"))).isEqualTo("gave up restarting: 5 restarts in 60s");
        assertThat(EventText.of(new SupervisorEvent.Stopped("w.1"))).isNull();
    }

    @Test
    void anUnnamedSignalKeepsItsNumber() {
        assertThat(EventText.status(ExitStatus.signaled(Signal.of(40), false))).isEqualTo("killed by SIG40");
    }
}
