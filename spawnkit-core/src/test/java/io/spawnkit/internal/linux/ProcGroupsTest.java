package io.spawnkit.internal.linux;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ProcGroupsTest {

    @Test
    void parsesStateAndGroupAfterTheLastParenthesis() {
        assertThat(ProcGroups.parseStat("12 (sleep) S 1 12 12 0 -1 4194560"))
                .isEqualTo(new ProcGroups.Member('S', 12));
        assertThat(ProcGroups.parseStat("13 (a) b) (c) Z 1 7 7 0"))
                .isEqualTo(new ProcGroups.Member('Z', 7));
        assertThat(ProcGroups.parseStat("14 (x y) R 2 99"))
                .isEqualTo(new ProcGroups.Member('R', 99));
    }

    @Test
    void garbageIsNoMember() {
        assertThat(ProcGroups.parseStat("garbage")).isNull();
        assertThat(ProcGroups.parseStat("1 (x)")).isNull();
        assertThat(ProcGroups.parseStat("1 (x) S 1 notanumber 3")).isNull();
    }

    @Test
    void thisJvmsGroupHasALiveMember() {
        ProcGroups.Member me = ProcGroups.parseStat(readSelfStat());
        assertThat(me).isNotNull();
        assertThat(ProcGroups.hasLiveMember(me.pgid())).isTrue();
    }

    private static String readSelfStat() {
        try {
            return java.nio.file.Files.readString(java.nio.file.Path.of("/proc/self/stat"));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
