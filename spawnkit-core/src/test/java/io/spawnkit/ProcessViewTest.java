package io.spawnkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@link ChildProcess#toProcess()}: the java.lang.Process contract over a spawnkit child. */
@Tag("portable")
class ProcessViewTest {
    @RegisterExtension
    final Reaper reaper = new Reaper();

    @Test
    void streamsWaitForAndExitValue() throws Exception {
        ChildProcess c = reaper.spawn(Command.of("sh", "-c", "cat; echo err >&2; exit 3")
                .stdin(Stdio.pipe()).stdout(Stdio.pipe()).stderr(Stdio.pipe()));
        Process p = c.toProcess();
        assertThat(p.pid()).isEqualTo(c.pid());
        assertThat(p.toHandle().pid()).isEqualTo(c.pid());
        try (OutputStream os = p.getOutputStream()) {
            os.write("through Process\n".getBytes(StandardCharsets.UTF_8));
        }
        assertThat(new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8)).isEqualTo("through Process\n");
        assertThat(new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8)).isEqualTo("err\n");
        assertThat(p.waitFor()).isEqualTo(3);
        assertThat(p.exitValue()).isEqualTo(3);
        assertThat(p.isAlive()).isFalse();
        assertThat(p.waitFor(1, TimeUnit.MILLISECONDS)).isTrue();
        assertThat(p.onExit().get(60, TimeUnit.SECONDS)).isSameAs(p);
    }

    @Test
    void exitValueBeforeTheEndThrowsAndDestroyTerminates() throws Exception {
        ChildProcess c = reaper.spawn(Command.of("sleep", "30"));
        Process p = c.toProcess();
        assertThatThrownBy(p::exitValue).isInstanceOf(IllegalThreadStateException.class);
        assertThat(p.waitFor(10, TimeUnit.MILLISECONDS)).isFalse();
        assertThat(p.isAlive()).isTrue();
        assertThat(p.supportsNormalTermination()).isTrue();
        p.destroy();
        assertThat(p.waitFor()).isEqualTo(128 + 15);
        assertThat(c.waitFor().terminatingSignal()).contains(Signal.TERM);
    }

    @Test
    void destroyForcibly() throws Exception {
        ChildProcess c = reaper.spawn(Command.of("sleep", "30"));
        Process p = c.toProcess();
        assertThat(p.destroyForcibly()).isSameAs(p);
        assertThat(p.onExit().get(60, TimeUnit.SECONDS).exitValue()).isEqualTo(128 + 9);
    }

    @Test
    void streamsThatAreNotPipesAreEmptyAndDiscardWrites() throws Exception {
        ChildProcess c = reaper.spawn(Command.of("true").stdout(Stdio.ignore()));
        Process p = c.toProcess();
        assertThat(p.getInputStream().read()).isEqualTo(-1);
        assertThat(p.getErrorStream().read()).isEqualTo(-1);
        p.getOutputStream().write(1);
        assertThat(p.waitFor()).isZero();
        assertThat(p.getInputStream()).isSameAs(p.getInputStream());
    }
}
