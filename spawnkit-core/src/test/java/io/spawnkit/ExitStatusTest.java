package io.spawnkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.OptionalInt;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** How a child ended: a code, or a signal; never a signal disguised as 128 + n. */
class ExitStatusTest {
    @RegisterExtension
    final Reaper reaper = new Reaper();

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 47, 128, 130, 143, 255})
    @Tag("portable")
    void exitCodesAreReportedAsExited(int code) throws Exception {
        ExitStatus s = reaper.spawn(Command.of("sh", "-c", "exit " + code)).waitFor();
        assertThat(s).isEqualTo(ExitStatus.exited(code));
        assertThat(s.exitCode()).isEqualTo(OptionalInt.of(code));
        assertThat(s.terminatingSignal()).isEmpty();
        assertThat(s.isSuccess()).isEqualTo(code == 0);
        assertThat(s.shellCode()).isEqualTo(code);
    }

    @Test
    @Tag("portable")
    void theHelpersExitCode() throws Exception {
        assertThat(reaper.spawn(Helper.command("exit", "47")).waitFor()).isEqualTo(ExitStatus.exited(47));
    }

    @Test
    @Tag("portable")
    void killedByTermAndKillIsSignaled() throws Exception {
        ChildProcess term = reaper.spawn(Command.of("sleep", "30"));
        assertThat(term.kill(Signal.TERM)).isTrue();
        ExitStatus s = term.waitFor();
        assertThat(s).isInstanceOf(ExitStatus.Signaled.class);
        assertThat(s.terminatingSignal()).contains(Signal.TERM);
        assertThat(s.exitCode()).isEmpty();
        assertThat(s.isSuccess()).isFalse();
        assertThat(s.shellCode()).isEqualTo(128 + 15);

        ChildProcess kill = reaper.spawn(Command.of("sleep", "30"));
        assertThat(kill.kill()).isTrue();
        assertThat(kill.waitFor().terminatingSignal()).contains(Signal.KILL);
    }

    @Test
    void selfInflictedSignalsAreReportedWithTheRightSignal() throws Exception {
        // the jdk backend sees only 128 + n and cannot tell these from exit codes
        ExitStatus abrt = reaper.spawn(Command.of("sh", "-c", "kill -ABRT $$")).waitFor();
        assertThat(abrt.terminatingSignal()).contains(Signal.ABRT);
        ExitStatus usr1 = reaper.spawn(Helper.command("kill-self", "USR1")).waitFor();
        assertThat(usr1).isInstanceOf(ExitStatus.Signaled.class);
        assertThat(usr1.terminatingSignal()).contains(Signal.USR1);
        assertThat(((ExitStatus.Signaled) usr1).coreDumped()).isFalse();
    }

    /** Deaths the child brings on itself (we sent nothing): still signals, never 128 + n. */
    @ParameterizedTest
    @ValueSource(strings = {"KILL", "TERM", "ABRT"})
    void selfInflictedKillTermAndAbrtAreSignalsNotCodes(String name) throws Exception {
        Signal sig = Signal.byName(name).orElseThrow();
        ExitStatus s = reaper.spawn(Command.of("sh", "-c", "kill -" + name + " $$; exit 3")).waitFor();
        assertThat(s).isInstanceOf(ExitStatus.Signaled.class);
        assertThat(s.terminatingSignal()).contains(sig);
        assertThat(s.exitCode()).isEmpty();
        assertThat(s.isSuccess()).isFalse();
        assertThat(s.shellCode()).isEqualTo(128 + sig.number());
    }

    @Test
    void killWithAnyNamedSignal() throws Exception {
        ChildProcess c = reaper.spawn(Command.of("sleep", "30"));
        assertThat(c.kill(Signal.HUP)).isTrue();
        assertThat(c.onExit().get(30, TimeUnit.SECONDS)).isEqualTo(ExitStatus.signaled(Signal.HUP, false));
    }

    @Test
    void waitStatusDecodingFollowsTheTable() {
        assertThat(ExitStatus.ofWaitStatus(0x0000)).isEqualTo(ExitStatus.exited(0));
        assertThat(ExitStatus.ofWaitStatus(0x2f00)).isEqualTo(ExitStatus.exited(47));
        assertThat(ExitStatus.ofWaitStatus(0xff00)).isEqualTo(ExitStatus.exited(255));
        assertThat(ExitStatus.ofWaitStatus(0x000f)).isEqualTo(ExitStatus.signaled(Signal.TERM, false));
        assertThat(ExitStatus.ofWaitStatus(0x0009)).isEqualTo(ExitStatus.signaled(Signal.KILL, false));
        assertThat(ExitStatus.ofWaitStatus(0x0086)).isEqualTo(ExitStatus.signaled(Signal.ABRT, true));
        assertThat(ExitStatus.ofWaitStatus(0x0022).terminatingSignal().orElseThrow().name()).isEqualTo("SIG34");
        assertThatThrownBy(() -> ExitStatus.ofWaitStatus(0x137f)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ExitStatus.ofWaitStatus(0xffff)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void statusesPrintAndCompareAsValues() {
        assertThat(ExitStatus.exited(3)).hasToString("exited with code 3").isEqualTo(new ExitStatus.Exited(3));
        assertThat(ExitStatus.signaled(Signal.KILL, false)).hasToString("killed by SIGKILL(9)");
        assertThat(ExitStatus.signaled(Signal.SEGV, true).toString()).endsWith("(core dumped)");
        assertThat(ExitStatus.signaled(Signal.SEGV, true).shellCode()).isEqualTo(128 + 11);
    }

    @Test
    void signalsHaveTheirLinuxNumbersAndNames() {
        assertThat(Signal.TERM.number()).isEqualTo(15);
        assertThat(Signal.USR1.number()).isEqualTo(10);
        assertThat(Signal.byName("sigterm")).contains(Signal.TERM);
        assertThat(Signal.byName("KILL")).contains(Signal.KILL);
        assertThat(Signal.byName("NOPE")).isEmpty();
        assertThat(Signal.of(15)).isSameAs(Signal.TERM);
        assertThat(Signal.of(40).name()).isEqualTo("SIG40");
        assertThatThrownBy(() -> Signal.of(0)).isInstanceOf(IllegalArgumentException.class);
    }
}
