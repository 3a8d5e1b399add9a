package io.spawnkit.worker;

import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** {@link WorkerSpec}'s checks, no processes. */
class WorkerSpecTest {
    @Test
    void aNegativeExitGraceIsRefused() {
        // the worker's exit watch would die in Thread.sleep(-1) and never end an abandoned worker
        assertThrows(IllegalArgumentException.class, () -> WorkerSpec.of(WorkerTasks.Echo.class).exitGrace(Duration.ofMillis(-1)));
    }

    @Test
    void aNegativeCloseTimeoutIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> WorkerSpec.of(WorkerTasks.Echo.class).closeTimeout(Duration.ofMillis(-1)));
    }
}
