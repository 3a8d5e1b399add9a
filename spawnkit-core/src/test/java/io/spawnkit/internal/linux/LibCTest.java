package io.spawnkit.internal.linux;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

/** The one call shape LibC calls every function through: results, errno, pointers, widths. */
@EnabledOnOs(OS.LINUX)
class LibCTest {

    @Test
    void onlyTheArchitecturesTheShapeWasCheckedForAreAccepted() {
        for (String arch : new String[] {"amd64", "x86_64", "aarch64", "riscv64"}) {
            LibC.checkArchitecture(arch);
        }
        for (String arch : new String[] {"ppc64le", "s390x", "arm", "x86", "loongarch64", ""}) {
            assertThatThrownBy(() -> LibC.checkArchitecture(arch)).isInstanceOf(UnsupportedOperationException.class)
                    .hasMessageContaining("one call shape").hasMessageContaining("runs on " + arch);
        }
    }

    @Test
    void aFailureIsMinusErrnoWithItsNameAndText() {
        assertThat(LibC.close(-1)).isEqualTo(-Errno.EBADF);
        assertThat(LibC.fcntl(-1, LibC.F_GETFD, 0)).isEqualTo(-Errno.EBADF); // variadic in C
        assertThat(LibC.errnoName(Errno.EBADF)).isEqualTo("EBADF");
        assertThat(LibC.strerror(Errno.EBADF)).isEqualTo("Bad file descriptor");
        assertThat(LibC.getpid()).isEqualTo((int) ProcessHandle.current().pid());
    }

    @Test
    void pointersGoOutAndComeBackAndHeapArraysAreReadAndWritten() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment fds = arena.allocate(ValueLayout.JAVA_INT, 2);
            assertThat(LibC.pipe2(fds, LibC.O_CLOEXEC)).isZero();
            int r = fds.getAtIndex(ValueLayout.JAVA_INT, 0);
            int w = fds.getAtIndex(ValueLayout.JAVA_INT, 1);
            try {
                assertThat(LibC.fcntl(r, LibC.F_GETFD, 0)).isEqualTo(1); // FD_CLOEXEC
                byte[] out = "through the pipe".getBytes(StandardCharsets.US_ASCII);
                assertThat(LibC.write(w, MemorySegment.ofArray(out), out.length)).isEqualTo(out.length);
                byte[] in = new byte[64];
                long n = LibC.read(r, MemorySegment.ofArray(in), in.length);
                assertThat(new String(in, 0, (int) n, StandardCharsets.US_ASCII)).isEqualTo("through the pipe");
            } finally {
                LibC.close(r);
                LibC.close(w);
            }
        }
    }

    @Test
    void aHeapSegmentIsRefusedWhereAPointerToNativeMemoryIsPassed() {
        assertThatThrownBy(() -> LibC.pipe2(MemorySegment.ofArray(new int[2]), 0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not native memory");
    }
}
