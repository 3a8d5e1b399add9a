package io.spawnkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.OutputStream;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Writing to a child that stopped reading: an IOException "stdin closed", never SIGPIPE, and the status still comes. */
@Tag("portable")
class EpipeTest {
    private static final int MIB = 1 << 20;

    @RegisterExtension
    final Reaper reaper = new Reaper();

    @Test
    void outputStreamFailsWithStdinClosed() throws Exception {
        ChildProcess c = reaper.spawn(Helper.command("exit-without-reading").stdin(Stdio.pipe()));
        byte[] mib = new byte[MIB];
        assertThatThrownBy(() -> {
            try (OutputStream os = c.stdin().outputStream()) {
                for (int i = 0; i < 16; i++) {
                    os.write(mib);
                }
            }
        }).isInstanceOf(IOException.class).hasMessageContaining("stdin closed");
        assertThat(c.waitFor()).isEqualTo(ExitStatus.exited(0));
    }

    @Test
    void writeFutureFailsWithStdinClosed() throws Exception {
        ChildProcess c = reaper.spawn(Command.of("true").stdin(Stdio.pipe()));
        assertThat(c.waitFor()).isEqualTo(ExitStatus.exited(0));
        CompletableFuture<Void> w = c.stdin().write(new byte[MIB]);
        assertThatThrownBy(() -> w.get(60, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
                .cause().isInstanceOf(IOException.class).hasMessageContaining("stdin closed");
        // a later write fails the same way, and closing does not throw out of the loop
        assertThatThrownBy(() -> c.stdin().write("more").get(60, TimeUnit.SECONDS))
                .isInstanceOf(ExecutionException.class).cause().isInstanceOf(IOException.class);
        c.stdin().abort();
    }

    @Test
    void theJvmSurvivesAndStillSpawns() throws Exception {
        for (int i = 0; i < 20; i++) {
            ChildProcess c = reaper.spawn(Command.of("head", "-c", "1").stdin(Stdio.pipe()).stdout(Stdio.pipe()));
            CompletableFuture<byte[]> out = c.stdout().readAllBytes();
            CompletableFuture<Void> w = c.stdin().write(new byte[MIB]);
            try {
                w.get(60, TimeUnit.SECONDS);
            } catch (ExecutionException expected) {
                assertThat(expected.getCause()).isInstanceOf(IOException.class);
            }
            assertThat(out.get(60, TimeUnit.SECONDS)).hasSize(1);
            assertThat(c.waitFor().isSuccess()).isTrue();
        }
        assertThat(Command.of("echo", "alive").output().stdoutText()).isEqualTo("alive\n");
    }

    @Test
    void bytesFedToAChildThatIgnoresStdinDoNotFailTheSpawnOrTheStatus() {
        Output out = Command.of("echo", "fine").stdin(Stdio.bytes(new byte[MIB])).output();
        assertThat(out.status().isSuccess()).isTrue();
        assertThat(out.stdoutText()).isEqualTo("fine\n");
    }
}
