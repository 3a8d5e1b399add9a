package io.spawnkit.internal.windows;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.foreign.Arena;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The pure parts of {@link ProcessStart}, on every platform: the handle list it accepts. (The
 * native start itself runs in WindowsBackendTest and WindowsOsTest on the Windows CI job.)
 */
class ProcessStartTest {
    @Test
    void distinctDropsZeroAndRepeatsAndKeepsTheOrder() {
        assertThat(ProcessStart.distinct(0x44, 0, 0x44)).containsExactly(0x44L);
        assertThat(ProcessStart.distinct(0x10, 0x8, 0x10)).containsExactly(0x10L, 0x8L);
        assertThat(ProcessStart.distinct(0, 0, 0)).isEmpty();
        assertThat(ProcessStart.distinct(0x4, 0x8, 0xc)).as("mutable: the backend adds its descriptors above 2")
                .isInstanceOf(java.util.ArrayList.class);
    }

    @Test
    void aHandleListThatRepeatsAHandleOrHoldsNoneIsRefusedBeforeAnyNativeCall() {
        // CreateProcessW fails with ERROR_INVALID_PARAMETER on a repeated handle; ours is refused first
        // (this runs on Linux too: no kernel32 call is reached)
        try (Arena arena = Arena.ofConfined()) {
            long[] std = {0x10, 0x14, 0x14};
            for (List<Long> bad : List.of(List.of(0x10L, 0x14L, 0x14L), List.of(0x10L, 0L), List.of(-1L))) {
                assertThatThrownBy(() -> ProcessStart.create(arena, "C:\\x.exe", "x", null, null, std, bad, null, -1, 0))
                        .as(bad.toString()).isInstanceOf(IllegalArgumentException.class)
                        .hasMessageContaining("each once");
            }
        }
    }
}
