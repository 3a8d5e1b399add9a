package io.spawnkit.supervisor;

import static io.spawnkit.supervisor.Scripts.helper;
import static io.spawnkit.supervisor.Scripts.recorded;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.event.Level;

/** Lines to SLF4J and to listeners: levels, order, the MDC, the last line, prompts, whole lines. */
class LinesTest {
    @RegisterExtension
    final Cleanup cleanup = new Cleanup();

    @Test
    @Tag("portable")
    void stdoutIsLoggedAtInfoAndStderrAtWarnInOrderWithTheHelperInTheMdc() throws Exception {
        Recorder rec = new Recorder();
        Supervisor s = cleanup.start(recorded(rec)
                .helper(helper("lines1", "echo out1; echo err1 >&2; echo out2; echo err2 >&2; printf last")));
        assertThat(s.exitCode().get(60, TimeUnit.SECONDS)).isZero();

        List<CapturingLogs.Record> records = CapturingLogs.of("spawnkit.helper.lines1");
        assertThat(records.stream().filter(r -> r.level() == Level.INFO).map(CapturingLogs.Record::message))
                .containsExactly("out1", "out2", "last");
        assertThat(records.stream().filter(r -> r.level() == Level.WARN).map(CapturingLogs.Record::message))
                .containsExactly("err1", "err2");
        assertThat(records).extracting(CapturingLogs.Record::mdcHelper).containsOnly("lines1");

        assertThat(rec.lines("lines1", LineListener.Stream.STDOUT)).containsExactly("out1", "out2", "last");
        assertThat(rec.lines("lines1", LineListener.Stream.STDERR)).containsExactly("err1", "err2");
        assertThat(rec.indexOfLine("lines1", "last")).as("the last line, without newline, comes before Stopped")
                .isNotNegative().isLessThan(rec.indexOfEvent("lines1", SupervisorEvent.Stopped.class));
        assertThat(rec.indexOfLine("lines1", "err2")).isLessThan(rec.indexOfEvent("lines1", SupervisorEvent.Stopped.class));
    }

    @Test
    @Tag("portable")
    void everyLineOfABurstRightBeforeTheExitIsDeliveredBeforeStopped() throws Exception {
        Recorder rec = new Recorder();
        Supervisor s = cleanup.start(recorded(rec).logLines(false)
                .helper(helper("burst", "seq 1 20000; seq 1 5000 >&2; exit 9")));
        assertThat(s.exitCode().get(60, TimeUnit.SECONDS)).isEqualTo(9);
        List<String> out = rec.lines("burst", LineListener.Stream.STDOUT);
        assertThat(out).hasSize(20000).startsWith("1").endsWith("20000");
        assertThat(rec.lines("burst", LineListener.Stream.STDERR)).hasSize(5000).endsWith("5000");
        assertThat(rec.indexOfLine("burst", "20000")).isLessThan(rec.indexOfEvent("burst", SupervisorEvent.Stopped.class));
        assertThat(rec.all().getLast()).isInstanceOf(SupervisorEvent.Stopped.class);
    }

    @Test
    void theLoggerPrefixNamesTheLoggerAndLinesCanGoToListenersOnly() throws Exception {
        Recorder rec = new Recorder();
        Supervisor a = cleanup.start(recorded(rec).loggerPrefix("app.")
                .helper(helper("lines2", "echo hello")));
        assertThat(a.exitCode().get(60, TimeUnit.SECONDS)).isZero();
        assertThat(CapturingLogs.of("app.lines2")).extracting(CapturingLogs.Record::message).containsExactly("hello");

        Recorder quiet = new Recorder();
        Supervisor b = cleanup.start(recorded(quiet).logLines(false).helper(helper("lines3", "echo hush")));
        assertThat(b.exitCode().get(60, TimeUnit.SECONDS)).isZero();
        assertThat(CapturingLogs.of("spawnkit.helper.lines3")).isEmpty();
        assertThat(quiet.lines("lines3", LineListener.Stream.STDOUT)).containsExactly("hush");
    }

    @Test
    void aPromptWithoutNewlineIsShownAfterTheIdlePause(@TempDir Path dir) throws Exception {
        Path fifo = dir.resolve("answer");
        assertThat(new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor()).isZero();
        Recorder rec = new Recorder();
        // the helper waits for our answer, which we give only once the prompt has been delivered
        Supervisor s = cleanup.start(recorded(rec).helper(helper("prompt",
                "printf 'Name: '; read x < '" + fifo + "'; echo \"hello $x\"").withIdleFlush(Duration.ofMillis(100))));
        rec.awaitLine("prompt", "Name: ");
        Files.writeString(fifo, "world\n"); // blocks until the helper opens the fifo to read
        assertThat(s.exitCode().get(60, TimeUnit.SECONDS)).isZero();
        assertThat(rec.lines("prompt", LineListener.Stream.STDOUT)).containsExactly("Name: ", "hello world");
    }

    @Test
    @Tag("portable")
    void longLinesWrittenInPiecesOnBothStreamsArriveWhole() throws Exception {
        String script = """
                import sys
                for i in range(300):
                    for f, c in ((sys.stdout, 'o'), (sys.stderr, 'e')):
                        s = '%05d' % i + c * 4995
                        f.write(s[:2000]); f.flush(); f.write(s[2000:4000]); f.flush(); f.write(s[4000:] + '\\n'); f.flush()
                """;
        Recorder rec = new Recorder();
        Supervisor s = cleanup.start(recorded(rec).logLines(false).helper(
                HelperSpec.of("long", io.spawnkit.Command.of("python3", "-c", script))
                        .withIdleFlush(Duration.ofMinutes(5))));
        assertThat(s.exitCode().get(60, TimeUnit.SECONDS)).isZero();
        List<String> out = new ArrayList<>();
        List<String> err = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            out.add(String.format("%05d", i) + "o".repeat(4995));
            err.add(String.format("%05d", i) + "e".repeat(4995));
        }
        assertThat(rec.lines("long", LineListener.Stream.STDOUT)).isEqualTo(out);
        assertThat(rec.lines("long", LineListener.Stream.STDERR)).isEqualTo(err);
    }
}
