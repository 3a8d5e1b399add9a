package io.spawnkit.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.spawnkit.Command;
import io.spawnkit.ExitStatus;
import io.spawnkit.supervisor.ExitPolicy;
import io.spawnkit.supervisor.HelperSpec;
import io.spawnkit.supervisor.Readiness;
import io.spawnkit.supervisor.SupervisorEvent;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class EventPrinterTest {

    private static final List<HelperSpec> HELPERS = List.of(
            HelperSpec.of("web.1", Command.of("true")).withReadiness(Readiness.port(5000)),
            HelperSpec.of("worker.1", Command.of("true")));

    private final List<String> lines = new ArrayList<>();

    private EventPrinter printer(ExitPolicy policy, boolean raw) {
        return new EventPrinter(HELPERS, policy, raw, (name, text) -> lines.add(name + " | " + text));
    }

    @Test
    void readyIsNewsOnlyForAHelperWithACheck() {
        EventPrinter p = printer(ExitPolicy.stopAllWhenAnyEnds(), false);
        p.accept(new SupervisorEvent.Started("web.1", 10, 0));
        p.accept(new SupervisorEvent.Ready("web.1"));
        p.accept(new SupervisorEvent.Started("worker.1", 11, 0));
        p.accept(new SupervisorEvent.Ready("worker.1"));
        assertThat(lines).containsExactly("web.1 | started with pid 10", "web.1 | ready", "worker.1 | started with pid 11");
    }

    @Test
    void theFirstEndingThatEndsTheRunIsAnnouncedOnce() {
        EventPrinter p = printer(ExitPolicy.stopAllWhenAnyEnds(), false);
        p.accept(new SupervisorEvent.Exited("worker.1", ExitStatus.exited(1)));
        p.accept(new SupervisorEvent.Stopped("worker.1"));
        p.accept(new SupervisorEvent.Exited("web.1", ExitStatus.exited(0)));
        p.accept(new SupervisorEvent.Stopped("web.1"));
        assertThat(lines).containsExactly("worker.1 | exited with code 1",
                "system | worker.1 has ended: stopping all processes", "web.1 | exited with code 0");
    }

    @Test
    void aNamedPolicyAnnouncesOnlyItsHelperAndKeepRunningNothing() {
        EventPrinter p = printer(ExitPolicy.stopAllWhenEnds("web.1"), false);
        p.accept(new SupervisorEvent.Stopped("worker.1"));
        p.accept(new SupervisorEvent.Stopped("web.1"));
        assertThat(lines).containsExactly("system | web.1 has ended: stopping all processes");
        lines.clear();
        EventPrinter keep = printer(ExitPolicy.keepRunning(), false);
        keep.accept(new SupervisorEvent.Stopped("web.1"));
        assertThat(lines).isEmpty();
    }

    @Test
    void afterCtrlCAnEndingIsNoNews() {
        EventPrinter p = printer(ExitPolicy.stopAllWhenAnyEnds(), false);
        p.stopping();
        p.accept(new SupervisorEvent.Exited("web.1", ExitStatus.exited(0)));
        p.accept(new SupervisorEvent.Stopped("web.1"));
        assertThat(lines).containsExactly("web.1 | exited with code 0");
    }

    @Test
    void anExitIsShownWithTheHelpersNextEventAfterItsLastLines() {
        EventPrinter p = printer(ExitPolicy.keepRunning(), false);
        p.accept(new SupervisorEvent.Exited("worker.1", ExitStatus.exited(1)));
        assertThat(lines).isEmpty();
        lines.add("worker.1 | (its last line)");
        p.accept(new SupervisorEvent.Restarting("worker.1", 1, java.time.Duration.ofMillis(100)));
        p.accept(new SupervisorEvent.Exited("worker.1", ExitStatus.exited(0)));
        p.accept(new SupervisorEvent.Stopped("worker.1"));
        assertThat(lines).containsExactly("worker.1 | (its last line)", "worker.1 | exited with code 1",
                "worker.1 | restarting in 100ms (restart 1)", "worker.1 | exited with code 0");
    }

    @Test
    void rawPrintsNoEvents() {
        EventPrinter p = printer(ExitPolicy.stopAllWhenAnyEnds(), true);
        p.accept(new SupervisorEvent.Started("web.1", 10, 0));
        p.accept(new SupervisorEvent.Stopped("web.1"));
        assertThat(lines).isEmpty();
    }
}
