package io.spawnkit;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

class CommandCopyTest {

    @Test
    @Tag("portable")
    void aCopyRunsTheSameAndChangesStayOnTheirSide() {
        Command original = Command.of("sh", "-c", "echo \"$A $0\"", "x").env("A", "a");
        Command copy = original.copy();
        copy.env("A", "changed").arg("ignored");
        original.stdout(Stdio.ignore());
        assertThat(original.argv()).containsExactly("sh", "-c", "echo \"$A $0\"", "x");
        assertThat(copy.argv()).containsExactly("sh", "-c", "echo \"$A $0\"", "x", "ignored");
        assertThat(original.environment()).containsEntry("A", "a");
        assertThat(copy.output().stdoutText()).isEqualTo("changed x\n");
    }
}
