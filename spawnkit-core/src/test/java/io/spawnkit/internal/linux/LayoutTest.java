package io.spawnkit.internal.linux;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

/**
 * The sizes and constants LibC and EpollLoop assume, checked against the platform's own headers by
 * compiling a probe with the machine's C compiler (skipped where there is none).
 */
@EnabledOnOs(OS.LINUX)
class LayoutTest {

    @Test
    void structSizesAndConstantsMatchTheHeaders(@TempDir Path dir) throws Exception {
        Path cc = List.of("/usr/bin/cc", "/usr/bin/gcc", "/usr/bin/clang").stream().map(Path::of)
                .filter(Files::isExecutable).findFirst().orElse(null);
        assumeTrue(cc != null, "no C compiler on this machine");
        Path src = dir.resolve("probe.c");
        Files.writeString(src, """
                #define _GNU_SOURCE
                #include <spawn.h>
                #include <signal.h>
                #include <stdio.h>
                #include <fcntl.h>
                #include <sys/epoll.h>
                #include <sys/eventfd.h>
                #include <sys/socket.h>
                #include <sys/syscall.h>
                #include <sys/wait.h>
                int main(void) {
                  printf("posix_spawnattr_t %zu\\n", sizeof(posix_spawnattr_t));
                  printf("posix_spawn_file_actions_t %zu\\n", sizeof(posix_spawn_file_actions_t));
                  printf("sigset_t %zu\\n", sizeof(sigset_t));
                  printf("epoll_event %zu\\n", sizeof(struct epoll_event));
                  printf("O_CLOEXEC %d\\nO_NONBLOCK %d\\nO_CREAT %d\\nO_TRUNC %d\\nO_APPEND %d\\n",
                         O_CLOEXEC, O_NONBLOCK, O_CREAT, O_TRUNC, O_APPEND);
                  printf("F_SETPIPE_SZ %d\\nF_DUPFD_CLOEXEC %d\\nEPOLLIN %d\\nEPOLLOUT %d\\n",
                         F_SETPIPE_SZ, F_DUPFD_CLOEXEC, EPOLLIN, EPOLLOUT);
                  printf("POSIX_SPAWN_SETSID %d\\nPOSIX_SPAWN_SETPGROUP %d\\nPOSIX_SPAWN_SETSIGMASK %d\\nPOSIX_SPAWN_SETSIGDEF %d\\n",
                         POSIX_SPAWN_SETSID, POSIX_SPAWN_SETPGROUP, POSIX_SPAWN_SETSIGMASK, POSIX_SPAWN_SETSIGDEF);
                  printf("SYS_pidfd_open %d\\nSYS_pidfd_send_signal %d\\n", (int) SYS_pidfd_open, (int) SYS_pidfd_send_signal);
                  return 0;
                }
                """);
        Path exe = dir.resolve("probe");
        Process compile = new ProcessBuilder(cc.toString(), "-o", exe.toString(), src.toString())
                .redirectErrorStream(true).start();
        String log = new String(compile.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assumeTrue(compile.waitFor() == 0, "the probe does not compile here: " + log);
        Process run = new ProcessBuilder(exe.toString()).start();
        Map<String, Long> c = new HashMap<>();
        for (String line : new String(run.getInputStream().readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
            String[] kv = line.split(" ");
            c.put(kv[0], Long.parseLong(kv[1]));
        }
        assertThat(run.waitFor()).isZero();

        assertThat(c.get("posix_spawnattr_t")).isEqualTo(LibC.SIZEOF_POSIX_SPAWNATTR_T);
        assertThat(c.get("posix_spawn_file_actions_t")).isEqualTo(LibC.SIZEOF_POSIX_SPAWN_FILE_ACTIONS_T);
        assertThat(c.get("sigset_t")).isEqualTo(LibC.SIZEOF_SIGSET_T);
        assertThat(c.get("epoll_event")).isEqualTo(EpollLoop.EPOLL_EVENT.byteSize());
        assertThat(c.get("O_CLOEXEC")).isEqualTo(LibC.O_CLOEXEC);
        assertThat(c.get("O_NONBLOCK")).isEqualTo(LibC.O_NONBLOCK);
        assertThat(c.get("O_CREAT")).isEqualTo(LibC.O_CREAT);
        assertThat(c.get("O_TRUNC")).isEqualTo(LibC.O_TRUNC);
        assertThat(c.get("O_APPEND")).isEqualTo(LibC.O_APPEND);
        assertThat(c.get("F_SETPIPE_SZ")).isEqualTo(LibC.F_SETPIPE_SZ);
        assertThat(c.get("F_DUPFD_CLOEXEC")).isEqualTo(LibC.F_DUPFD_CLOEXEC);
        assertThat(c.get("EPOLLIN")).isEqualTo(LibC.EPOLLIN);
        assertThat(c.get("EPOLLOUT")).isEqualTo(LibC.EPOLLOUT);
        assertThat(c.get("POSIX_SPAWN_SETSID")).isEqualTo(LibC.POSIX_SPAWN_SETSID);
        assertThat(c.get("POSIX_SPAWN_SETPGROUP")).isEqualTo(LibC.POSIX_SPAWN_SETPGROUP);
        assertThat(c.get("POSIX_SPAWN_SETSIGMASK")).isEqualTo(LibC.POSIX_SPAWN_SETSIGMASK);
        assertThat(c.get("POSIX_SPAWN_SETSIGDEF")).isEqualTo(LibC.POSIX_SPAWN_SETSIGDEF);
        assertThat(c.get("SYS_pidfd_open")).isEqualTo(LibC.SYS_PIDFD_OPEN);
        assertThat(c.get("SYS_pidfd_send_signal")).isEqualTo(LibC.SYS_PIDFD_SEND_SIGNAL);
    }

    @Test
    void errnoNamesComeFromLibc() {
        assertThat(LibC.errnoName(Errno.ENOENT)).isEqualTo("ENOENT");
        assertThat(LibC.errnoName(Errno.E2BIG)).isEqualTo("E2BIG");
        assertThat(Errno.name(Errno.EACCES)).isEqualTo("EACCES");
        assertThat(LibC.strerror(Errno.ENOENT)).isEqualTo("No such file or directory");
    }

    @Test
    void captureOfErrnoGivesMinusErrno() throws IOException {
        assertThat(LibC.close(-1)).isEqualTo(-Errno.EBADF);
        assertThat(LibC.fcntl(1 << 20, LibC.F_GETFD, 0)).isEqualTo(-Errno.EBADF);
    }
}
