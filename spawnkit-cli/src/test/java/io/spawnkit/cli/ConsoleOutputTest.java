package io.spawnkit.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.spawnkit.cli.LineFormatter.Kind;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class ConsoleOutputTest {

    private static final Clock NOON = Clock.fixed(Instant.parse("2026-01-02T12:34:56.789Z"), ZoneOffset.UTC);

    /** Counts the writes that reach it. */
    private static final class CountingStream extends OutputStream {
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        final AtomicInteger writes = new AtomicInteger();

        @Override
        public synchronized void write(int b) {
            writes.incrementAndGet();
            bytes.write(b);
        }

        @Override
        public synchronized void write(byte[] b, int off, int len) {
            writes.incrementAndGet();
            bytes.write(b, off, len);
        }

        synchronized String text() {
            return bytes.toString(StandardCharsets.UTF_8);
        }
    }

    @Test
    void linesAreFormattedWithTheTimeOfTheClock() {
        CountingStream s = new CountingStream();
        try (ConsoleOutput out = new ConsoleOutput(s, new LineFormatter(List.of("web.1"), false, true, false), NOON)) {
            out.line("web.1", Kind.STDOUT, "hello é");
            out.system("bye");
        }
        assertThat(s.text()).isEqualTo("12:34:56 web.1  | hello é\n12:34:56 system | bye\n");
    }

    @Test
    void theRelayOfBytesFormatsAsLinesDoInEveryMode() {
        for (boolean color : new boolean[] {false, true}) {
            for (boolean raw : new boolean[] {false, true}) {
                CountingStream viaStrings = new CountingStream();
                CountingStream viaBytes = new CountingStream();
                List<String> names = List.of("web.1", "db.1");
                try (ConsoleOutput a = new ConsoleOutput(viaStrings, new LineFormatter(names, color, true, raw), NOON);
                        ConsoleOutput b = new ConsoleOutput(viaBytes, new LineFormatter(names, color, true, raw), NOON)) {
                    io.spawnkit.supervisor.LineBytesListener relay = b.relay();
                    String[][] lines = {{"web.1", "hello é"}, {"db.1", "\u001b[31mred"}, {"web.1", ""}};
                    for (int i = 0; i < lines.length; i++) {
                        Kind kind = i == 1 ? Kind.STDERR : Kind.STDOUT;
                        a.line(lines[i][0], kind, lines[i][1]);
                        byte[] text = ("xx" + lines[i][1]).getBytes(StandardCharsets.UTF_8);
                        relay.line(lines[i][0], i == 1 ? io.spawnkit.supervisor.LineListener.Stream.STDERR
                                : io.spawnkit.supervisor.LineListener.Stream.STDOUT, text, 2, text.length - 2);
                    }
                    relay.endOfBatch();
                }
                assertThat(viaBytes.text()).as("color %s, raw %s", color, raw).isEqualTo(viaStrings.text());
            }
        }
    }

    @Test
    void flushShowsALineWithoutClosing() {
        CountingStream s = new CountingStream();
        try (ConsoleOutput out = new ConsoleOutput(s, new LineFormatter(List.of("a"), false, false, false), NOON)) {
            out.line("a", Kind.STDERR, "now");
            out.flush();
            assertThat(s.text()).isEqualTo("a      ! now\n");
        }
    }

    @Test
    void aMillionLinesArriveInOrderInFarFewerWrites() throws InterruptedException {
        CountingStream s = new CountingStream();
        int n = 1_000_000;
        try (ConsoleOutput out = new ConsoleOutput(s, new LineFormatter(List.of("a", "b"), false, false, true), NOON)) {
            Thread other = Thread.ofPlatform().start(() -> {
                for (int i = 0; i < n; i++) {
                    out.line("b", Kind.STDOUT, "b" + i);
                }
            });
            for (int i = 0; i < n; i++) {
                out.line("a", Kind.STDOUT, "a" + i);
            }
            other.join();
        }
        String[] lines = s.text().split("\n");
        assertThat(lines).hasSize(2 * n);
        int nextA = 0;
        int nextB = 0;
        for (String l : lines) {
            if (l.charAt(0) == 'a') {
                assertThat(l).isEqualTo("a" + nextA++);
            } else {
                assertThat(l).isEqualTo("b" + nextB++);
            }
        }
        assertThat(nextA).isEqualTo(n);
        assertThat(nextB).isEqualTo(n);
        // batched: the flusher writes what piled up during its previous write
        assertThat(s.writes.get()).isLessThan(n);
    }

    @Test
    void theRelayWritesABatchAtATime() {
        CountingStream s = new CountingStream();
        int batches = 1_000;
        int perBatch = 1_000;
        try (ConsoleOutput out = new ConsoleOutput(s, new LineFormatter(List.of("a"), false, false, true), NOON)) {
            io.spawnkit.supervisor.LineBytesListener relay = out.relay();
            for (int b = 0; b < batches; b++) {
                for (int i = 0; i < perBatch; i++) {
                    byte[] line = Integer.toString(b * perBatch + i).getBytes(StandardCharsets.US_ASCII);
                    relay.line("a", io.spawnkit.supervisor.LineListener.Stream.STDOUT, line, 0, line.length);
                }
                relay.endOfBatch();
            }
        }
        String[] lines = s.text().split("\n");
        assertThat(lines).hasSize(batches * perBatch);
        for (int i = 0; i < lines.length; i += 9_973) {
            assertThat(lines[i]).isEqualTo(Integer.toString(i));
        }
        assertThat(s.writes.get()).isLessThanOrEqualTo(batches);
    }

    @Test
    void aBrokenStdoutIsReportedOnceAndLaterLinesAreDropped() throws Exception {
        OutputStream broken = new OutputStream() {
            @Override
            public void write(int b) throws IOException {
                throw new IOException("Broken pipe");
            }
        };
        List<IOException> reported = new CopyOnWriteArrayList<>();
        try (ConsoleOutput out = new ConsoleOutput(broken, new LineFormatter(List.of("a"), false, false, false), NOON,
                reported::add)) {
            for (int i = 0; i < 100_000; i++) {
                out.line("a", Kind.STDOUT, "line " + i);
            }
            out.flush();
            out.line("a", Kind.STDOUT, "dropped");
            out.flush();
        }
        assertThat(reported).singleElement().extracting(Throwable::getMessage).isEqualTo("Broken pipe");
    }
}
