package io.spawnkit.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

/** The backend names {@code spawnkit.backend} takes, and what a name that cannot run here gives. */
class BackendsTest {

    @Test
    void anUnknownNameListsTheKnownOnes() {
        assertThatThrownBy(() -> Backends.choose("solaris"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("solaris").hasMessageContaining("linux, windows or jdk");
    }

    @Test
    void namesIgnoreCaseAndSpaces() {
        assertThat(Backends.choose(" JDK ").name()).isEqualTo("jdk");
    }

    @Test
    @EnabledOnOs(OS.LINUX)
    void theWindowsBackendAskedForOnLinuxFailsNamingWindows() {
        Throwable t = catchThrowable(() -> Backends.choose("windows"));
        assertThat(t).isNotNull();
        Throwable root = t;
        while (root.getCause() != null) {
            root = root.getCause();
        }
        assertThat(root.getMessage()).containsIgnoringCase("windows");
    }
}
