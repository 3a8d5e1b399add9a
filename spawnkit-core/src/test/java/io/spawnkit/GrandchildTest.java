package io.spawnkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A grandchild keeps the child's stdout open after the child has exited: the exit is reported at
 * once, not when the pipe reaches EOF (libuv's and Node's 'exit' versus 'close').
 */
class GrandchildTest {
    @RegisterExtension
    final Reaper reaper = new Reaper();

    @Test
    @Tag("portable")
    void exitIsReportedWhileAGrandchildHoldsStdout() throws Exception {
        ChildProcess c = reaper.spawn(Helper.command("grandchild", "60000").stdout(Stdio.pipe()).stderr(Stdio.pipe()));
        CompletableFuture<byte[]> out = c.stdout().readAllBytes();
        String pidLine = c.stderr().readAllText().get(60, TimeUnit.SECONDS).strip();
        long grandchild = Long.parseLong(pidLine);
        reaper.trackPid(grandchild);
        ExitStatus s = c.onExit().get(60, TimeUnit.SECONDS);
        assertThat(s.isSuccess()).isTrue();
        assertThat(c.waitFor(Duration.ofSeconds(60))).contains(s);
        assertThat(Helper.isDead(grandchild)).as("the grandchild still runs").isFalse();
        assertThat(out).as("stdout is still open in the grandchild").isNotDone();
        Helper.killPid(grandchild);
        assertThat(out.get(60, TimeUnit.SECONDS)).isEmpty();
    }

    @Test
    void killTreeOfANewProcessGroupEndsTheGrandchildAndTheStream() throws Exception {
        ChildProcess c = reaper.spawn(Command.of("sh", "-c", "sleep 60 & echo $!; wait")
                .newProcessGroup().stdout(Stdio.pipe()));
        java.io.BufferedReader r = new java.io.BufferedReader(
                new java.io.InputStreamReader(c.stdout().inputStream(), java.nio.charset.StandardCharsets.UTF_8));
        long grandchild = Long.parseLong(r.readLine().strip());
        reaper.trackPid(grandchild);
        assertThat(ProcessHandle.of(grandchild).flatMap(ProcessHandle::parent).map(ProcessHandle::pid))
                .contains(c.pid());
        assertThat(c.killTree()).isTrue();
        assertThat(c.waitFor().terminatingSignal()).contains(Signal.KILL);
        assertThat(Helper.eventually(Duration.ofSeconds(30), () -> Helper.isDead(grandchild)))
                .as("grandchild %d killed with the group", grandchild).isTrue();
        assertThat(r.readLine()).as("EOF once the group is gone").isNull();
    }

    @Test
    void theGroupOfAnExitedLeaderCanStillBeKilled() throws Exception {
        ChildProcess c = reaper.spawn(Helper.command("grandchild", "60000").newProcessGroup()
                .stdout(Stdio.pipe()).stderr(Stdio.pipe()));
        long grandchild = Long.parseLong(c.stderr().readAllText().get(60, TimeUnit.SECONDS).strip());
        reaper.trackPid(grandchild);
        CompletableFuture<byte[]> out = c.stdout().readAllBytes();
        assertThat(c.waitFor().isSuccess()).isTrue();
        assertThat(c.killGroup(Signal.KILL)).as("the group still has the grandchild").isTrue();
        assertThat(Helper.eventually(Duration.ofSeconds(30), () -> Helper.isDead(grandchild))).isTrue();
        assertThat(out.get(60, TimeUnit.SECONDS)).isEmpty();
    }

    @Test
    void killGroupWithoutAGroupIsRefused() {
        ChildProcess c = reaper.spawn(Command.of("sleep", "30"));
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> c.killGroup(Signal.TERM))
                .isInstanceOf(IllegalStateException.class);
    }
}
