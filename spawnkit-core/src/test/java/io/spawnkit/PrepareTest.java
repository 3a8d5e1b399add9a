package io.spawnkit;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** {@link Command#prepare()}: idempotent, from any thread, and spawning works after it. */
class PrepareTest {
    @Test
    @Tag("portable")
    void prepareTwiceFromTwoThreadsThenSpawn() throws Exception {
        Thread other = Thread.ofPlatform().start(Command::prepare);
        Command.prepare();
        other.join();
        Command.prepare();
        assertThat(Command.of("sh", "-c", "exit 7").status()).isEqualTo(ExitStatus.exited(7));
    }
}
