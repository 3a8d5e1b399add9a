package io.spawnkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@link ReadEnd#onLineBytes}: the same lines as {@link ReadEnd#onLine} (CRLF, a last line without
 * newline, UTF-8 split across reads, lines longer than a read), each batch closed by
 * {@code endOfBatch}, and no line split between two batches.
 */
class LineBytesTest {
    @RegisterExtension
    final Reaper reaper = new Reaper();

    /** Collects on the executor's one thread; read once the stream is done. */
    private static final class Collected implements ReadEnd.LineBytes {
        final List<String> lines = new ArrayList<>();
        int batches;
        int linesInOpenBatch;

        @Override
        public void line(byte[] bytes, int offset, int length) {
            lines.add(new String(bytes, offset, length, StandardCharsets.UTF_8));
            linesInOpenBatch++;
        }

        @Override
        public void endOfBatch() {
            batches++;
            linesInOpenBatch = 0;
        }
    }

    @Test
    @Tag("portable")
    void theSameLinesAsOnLineAndEveryBatchClosed() throws Exception {
        String script = "printf 'a\\r\\nb\\n\\n'; printf 'caf\\303'; sleep 0.1; printf '\\251\\n'; printf 'last'";
        ExecutorService single = Executors.newSingleThreadExecutor();
        try {
            ChildProcess c = reaper.spawn(Command.of("sh", "-c", script).stdout(Stdio.pipe()));
            Collected got = new Collected();
            c.stdout().onLineBytes(got, Duration.ofHours(1), single);
            c.stdout().done().get(60, TimeUnit.SECONDS);
            single.submit(() -> { }).get(60, TimeUnit.SECONDS); // what was queued before has run
            assertThat(got.lines).containsExactly("a", "b", "", "café", "last");
            assertThat(got.batches).isPositive();
            assertThat(got.linesInOpenBatch).as("lines after the last endOfBatch").isZero();
        } finally {
            single.shutdownNow();
        }
    }

    @Test
    void aFloodArrivesWholeAndInOrder() throws Exception {
        ExecutorService single = Executors.newSingleThreadExecutor();
        try {
            ChildProcess c = reaper.spawn(Command.of("seq", "1", "300000").stdout(Stdio.pipe()));
            Collected got = new Collected();
            c.stdout().onLineBytes(got, Duration.ofHours(1), single);
            c.stdout().done().get(120, TimeUnit.SECONDS);
            single.submit(() -> { }).get(60, TimeUnit.SECONDS);
            assertThat(got.lines).hasSize(300_000);
            for (int i = 0; i < got.lines.size(); i += 7_919) {
                assertThat(got.lines.get(i)).isEqualTo(Integer.toString(i + 1));
            }
            assertThat(got.lines.getLast()).isEqualTo("300000");
            assertThat(got.batches).as("a batch per chunk read, not one per line").isLessThan(300_000);
            assertThat(c.waitFor().isSuccess()).isTrue();
        } finally {
            single.shutdownNow();
        }
    }
}
