package io.spawnkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * CPython's communicate() deadlock: the child fills stdout and stderr while we fill its stdin. A
 * parent that serves one stream at a time waits forever; an event loop serves all three.
 */
@Tag("portable")
class DeadlockTest {
    private static final int N = 4 * 64 * 1024;

    @RegisterExtension
    final Reaper reaper = new Reaper();

    @Test
    void writingStdinWhileTheChildFillsStdoutAndStderr() throws Exception {
        ChildProcess c = reaper.spawn(Helper.command("both", Integer.toString(N))
                .stdin(Stdio.pipe()).stdout(Stdio.pipe()).stderr(Stdio.pipe()));
        CompletableFuture<byte[]> out = c.stdout().readAllBytes();
        CompletableFuture<byte[]> err = c.stderr().readAllBytes();
        byte[] input = Helper.pattern(7, N);
        // the futures let every write queue at once: nothing here waits for the child
        CompletableFuture<Void> written = c.stdin().write(input);
        CompletableFuture<Void> closed = c.stdin().close();
        written.get(120, TimeUnit.SECONDS);
        closed.get(120, TimeUnit.SECONDS);
        assertThat(out.get(120, TimeUnit.SECONDS)).isEqualTo(Helper.pattern(0, N));
        byte[] e = err.get(120, TimeUnit.SECONDS);
        assertThat(Arrays.copyOf(e, N)).isEqualTo(Helper.pattern(0, N));
        assertThat(new String(e, N, e.length - N, StandardCharsets.US_ASCII)).isEqualTo("\nstdin=" + N + "\n");
        assertThat(c.waitFor().isSuccess()).isTrue();
    }

    @Test
    void theSameWithABlockingOutputStreamOnThisThread() throws Exception {
        ChildProcess c = reaper.spawn(Helper.command("both", Integer.toString(N))
                .stdin(Stdio.pipe()).stdout(Stdio.pipe()).stderr(Stdio.pipe()));
        CompletableFuture<byte[]> out = c.stdout().readAllBytes();
        CompletableFuture<byte[]> err = c.stderr().readAllBytes();
        try (OutputStream os = c.stdin().outputStream()) {
            byte[] input = Helper.pattern(0, N);
            for (int off = 0; off < N; off += 1000) {
                os.write(input, off, Math.min(1000, N - off));
            }
        }
        assertThat(out.get(120, TimeUnit.SECONDS)).hasSize(N);
        assertThat(new String(err.get(120, TimeUnit.SECONDS), StandardCharsets.ISO_8859_1)).endsWith("\nstdin=" + N + "\n");
        assertThat(c.waitFor().isSuccess()).isTrue();
    }
}
