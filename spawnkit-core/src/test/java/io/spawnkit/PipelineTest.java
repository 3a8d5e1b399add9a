package io.spawnkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** {@link Pipeline}: children joined by real OS pipes. Not portable: the jdk backend has no Stdio.from(child). */
class PipelineTest {
    @RegisterExtension
    final Reaper reaper = new Reaper();

    @TempDir
    Path tmp;

    @Test
    void twoCommandsLikeAShellPipe() {
        Output out = Pipeline.of(Command.of("printf", "b\\na\\nc\\n"), Command.of("sort")).output();
        assertThat(out.status().isSuccess()).isTrue();
        assertThat(out.stdoutText()).isEqualTo("a\nb\nc\n");
    }

    @Test
    void threeCommandsAndManyBytes() {
        Output out = Pipeline.of(Command.of("head", "-c", "10000000", "/dev/zero"), Command.of("cat"),
                Command.of("wc", "-c")).output();
        assertThat(out.stdoutText().strip()).isEqualTo("10000000");
    }

    @Test
    void theStatusIsTheLastCommandsAndStderrIsTheLastCommands() {
        Output out = Pipeline.of(Command.of("sh", "-c", "echo one; exit 3"),
                Command.of("sh", "-c", "cat; echo oops >&2; exit 5")).output();
        assertThat(out.status()).isEqualTo(ExitStatus.exited(5));
        assertThat(out.stdoutText()).isEqualTo("one\n");
        assertThat(out.stderrText()).isEqualTo("oops\n");
    }

    @Test
    void spawnReturnsEveryChildAndEachStatus() throws Exception {
        List<ChildProcess> children = reaper.track(Pipeline.of(Command.of("sh", "-c", "echo x; exit 7"),
                Command.of("cat").stdout(Stdio.pipe())).spawn());
        assertThat(children).hasSize(2);
        assertThat(children.get(1).stdout().readAllText().get(30, TimeUnit.SECONDS)).isEqualTo("x\n");
        assertThat(children.get(0).waitFor()).isEqualTo(ExitStatus.exited(7));
        assertThat(children.get(1).waitFor()).isEqualTo(ExitStatus.exited(0));
    }

    @Test
    void theBytesDoNotPassThroughThisJvm() throws Exception {
        List<ChildProcess> children = reaper.track(Pipeline.of(Command.of("sh", "-c", "echo x; exec sleep 30"),
                Command.of("sh", "-c", "exec sleep 30")).spawn());
        String pipe = Helper.fdTarget(children.get(0).pid(), 1);
        assertThat(pipe).startsWith("pipe:");
        assertThat(Helper.fdTarget(children.get(1).pid(), 0)).isEqualTo(pipe);
        assertThat(Helper.ownFdTargets()).doesNotContain(pipe);
    }

    @Test
    void theFirstStdinAndLastStdoutAreAsTheCommandsSetThem() throws Exception {
        Path in = tmp.resolve("in");
        Path out = tmp.resolve("out");
        Files.writeString(in, "z\ny\n");
        List<ChildProcess> children = reaper.track(Pipeline.of(Command.of("cat").stdin(Stdio.from(in)),
                Command.of("sort").stdout(Stdio.to(out))).spawn());
        for (ChildProcess c : children) {
            assertThat(c.waitFor().isSuccess()).isTrue();
        }
        assertThat(Files.readString(out)).isEqualTo("y\nz\n");
    }

    @Test
    void aCommandThatCannotStartKillsTheOnesAlreadyStarted() {
        java.util.Set<Long> before = new java.util.HashSet<>(Helper.childPids());
        assertThatThrownBy(() -> Pipeline.of(Command.of("sleep", "30"), Command.of("no-such-program-xyz")).spawn())
                .isInstanceOf(SpawnException.class)
                .satisfies(e -> assertThat(((SpawnException) e).program()).isEqualTo("no-such-program-xyz"));
        assertThat(Helper.eventually(Duration.ofSeconds(30), () -> before.containsAll(Helper.childPids())))
                .as("the sleep started first is killed and reaped").isTrue();
    }

    @Test
    void anEmptyPipelineIsRefused() {
        assertThatThrownBy(() -> Pipeline.of()).isInstanceOf(IllegalArgumentException.class);
    }
}
