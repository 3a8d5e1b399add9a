package io.spawnkit.supervisor;

import static io.spawnkit.supervisor.Scripts.helper;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Lines as bytes: every line, per stream, and a line readiness check still works without Strings wanted. */
class LineBytesListenerTest {
    @RegisterExtension
    final Cleanup cleanup = new Cleanup();

    /** Called on the supervisor's thread only; read after exitCode() completed. */
    private static final class Bytes implements LineBytesListener {
        final List<String> lines = new ArrayList<>();
        int openLines;

        @Override
        public void line(String helper, LineListener.Stream stream, byte[] bytes, int offset, int length) {
            lines.add(helper + " " + stream + " " + new String(bytes, offset, length, StandardCharsets.UTF_8));
            openLines++;
        }

        @Override
        public void endOfBatch() {
            openLines = 0;
        }
    }

    @Test
    void everyLineArrivesAsBytesAndALineReadinessStillStartsTheDependent() throws Exception {
        Recorder rec = new Recorder();
        Bytes bytes = new Bytes();
        Supervisor s = cleanup.start(Supervisor.builder().logLines(false).listener(rec).lineBytesListener(bytes)
                .exitPolicy(ExitPolicy.keepRunning())
                .helper(helper("api", "echo booting; echo 'ready now' >&2; printf 'no newline'; exec sleep 1000")
                        .withReadiness(Readiness.line("ready now")))
                .helper(helper("client", "echo client ran").dependingOn("api", DependsOn.Condition.READY)));
        rec.awaitEvent("client", SupervisorEvent.Stopped.class);
        s.stop().get(60, TimeUnit.SECONDS);
        s.exitCode().get(60, TimeUnit.SECONDS); // every line delivered before it completes
        assertThat(rec.indexOfEvent("api", SupervisorEvent.Ready.class)).isNotNegative();
        assertThat(bytes.lines).contains("api STDOUT booting", "api STDERR ready now", "api STDOUT no newline",
                "client STDOUT client ran");
        assertThat(bytes.lines.indexOf("api STDERR ready now"))
                .isLessThan(bytes.lines.indexOf("client STDOUT client ran"));
        assertThat(bytes.openLines).as("every line is followed by an endOfBatch").isZero();
    }
}
