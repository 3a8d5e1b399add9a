package io.spawnkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.DisabledOnOs;
import org.junit.jupiter.api.condition.OS;

/** Options that one platform reads: ignored where they mean nothing, refused where they cannot be kept. */
@Tag("portable")
@DisabledOnOs(OS.WINDOWS)
class PlatformOptionsTest {

    @Test
    void windowsOptionsChangeNothingElsewhere() {
        Output out = Command.of("sh", "-c", "printf '%s|' \"$@\"", "sh", "a b", "\"q\"", "back\\")
                .windowsVerbatimArguments().windowsHide().windowsHideConsole().windowsHideGui()
                .windowsSearchCurrentDirectory()
                .output();
        assertThat(out.checkSuccess().stdoutText()).isEqualTo("a b|\"q\"|back\\|");
    }

    @Test
    void killOnParentExitIsRefusedBeforeAnyChildExists() {
        Command c = Command.of("sleep", "30").killOnParentExit();
        assertThatThrownBy(c::spawn)
                .isInstanceOf(UnsupportedOperationException.class)
                .hasMessageContaining("killOnParentExit")
                .hasMessageContaining("PR_SET_PDEATHSIG");
        // nothing was started: no sleep 30 is a child of ours
        assertThat(ProcessHandle.current().children().filter(p -> p.info().command().orElse("").endsWith("sleep")))
                .isEmpty();
    }

    @Test
    void aCopyKeepsThePlatformOptions() {
        Command copy = Command.of("sleep", "30").killOnParentExit().copy();
        assertThatThrownBy(copy::spawn).isInstanceOf(UnsupportedOperationException.class);
    }
}
