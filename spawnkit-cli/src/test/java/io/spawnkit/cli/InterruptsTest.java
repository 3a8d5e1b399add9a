package io.spawnkit.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The first-then-again logic, without real signals (the end-to-end tests send real ones). */
class InterruptsTest {

    @Test
    void theFirstSignalStopsLaterOnesKillAndTheFirstMakesTheCode() {
        List<String> calls = new ArrayList<>();
        try (Interrupts in = Interrupts.install(n -> calls.add("stop " + n), n -> calls.add("kill " + n))) {
            assertThat(in.interrupted()).isFalse();
            assertThat(in.exitCode()).isEqualTo(-1);
            in.received(15, n -> calls.add("stop " + n), n -> calls.add("kill " + n));
            in.received(2, n -> calls.add("stop " + n), n -> calls.add("kill " + n));
            in.received(2, n -> calls.add("stop " + n), n -> calls.add("kill " + n));
            assertThat(calls).containsExactly("stop 15", "kill 2", "kill 2");
            assertThat(in.interrupted()).isTrue();
            assertThat(in.exitCode()).isEqualTo(143);
        }
    }
}
