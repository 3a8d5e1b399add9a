package io.spawnkit.os;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.DisabledOnOs;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

/** {@link Os} on real processes (Linux), and its refusal elsewhere. */
class OsTest {
    private static final Os.ExecOptions NO_WAIT = Os.ExecOptions.DEFAULTS.block(false);

    private final List<Integer> pids = new ArrayList<>();
    private final OsDescriptors fds = new OsDescriptors();

    /** Kills and reaps every child a test started and did not reap, closes every descriptor it left open. */
    @AfterEach
    void cleanUp() {
        if (!OS.LINUX.isCurrentOs()) {
            return;
        }
        for (int pid : pids) {
            if (Os.waitpid(pid, Os.WNOHANG).pid() == 0) {
                Os.kill(pid, Os.SIGKILL);
                Os.waitpid(pid, 0);
            }
        }
        fds.closeAll();
    }

    private int start(List<String> args, Os.ExecOptions options) {
        int pid = Os.exec(args, options.block(false));
        assertThat(pid).as("pid of %s", args).isPositive();
        pids.add(pid);
        return pid;
    }

    /** Everything readable from {@code fd} up to end of file. */
    private static String readAll(int fd) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buf = new byte[7]; // small, to take several reads
        int n;
        while ((n = Os.read(fd, buf, 0, buf.length)) > 0) {
            out.write(buf, 0, n);
        }
        assertThat(n).isZero();
        return out.toString(StandardCharsets.UTF_8);
    }

    /** The standard output of {@code args}, run to its end, and its exit code. */
    private String output(List<String> args, Os.ExecOptions options) {
        int[] p = fds.pipe();
        int pid = start(args, options.stdout(p[1]));
        fds.close(p[1]);
        String out = readAll(p[0]);
        Os.WaitResult w = Os.waitpid(pid, 0);
        assertThat(w.pid()).isEqualTo(pid);
        assertThat(Os.WIFEXITED(w.status())).as("exited: %s", w).isTrue();
        assertThat(Os.WEXITSTATUS(w.status())).isZero();
        return out;
    }

    // ---- exec -----------------------------------------------------------------------------------

    @Test
    @EnabledOnOs(OS.LINUX)
    void blockingExecReturnsTheExitCode() {
        assertThat(Os.exec(List.of("sh", "-c", "exit 3"), Os.ExecOptions.DEFAULTS)).isEqualTo(3);
        assertThat(Os.exec(List.of("true"), Os.ExecOptions.DEFAULTS)).isZero();
    }

    @Test
    @EnabledOnOs(OS.LINUX)
    void blockingExecOfAChildKilledByASignalReturnsMinusTheSignalAsQuickJsDoes() {
        assertThat(Os.exec(List.of("sh", "-c", "kill -KILL $$"), Os.ExecOptions.DEFAULTS)).isEqualTo(-Os.SIGKILL);
        assertThat(Os.exec(List.of("sh", "-c", "kill -TERM $$"), Os.ExecOptions.DEFAULTS)).isEqualTo(-Os.SIGTERM);
    }

    @Test
    @EnabledOnOs(OS.LINUX)
    void nonBlockingExecReturnsThePidAndWaitpidItsStatus() {
        int pid = start(List.of("sh", "-c", "exit 7"), NO_WAIT);
        Os.WaitResult w = Os.waitpid(pid, 0);
        assertThat(w.pid()).isEqualTo(pid);
        assertThat(Os.WIFEXITED(w.status())).isTrue();
        assertThat(Os.WEXITSTATUS(w.status())).isEqualTo(7);
        assertThat(Os.WIFSIGNALED(w.status())).isFalse();
        assertThat(Os.WIFSTOPPED(w.status())).isFalse();
        assertThat(Os.waitpid(pid, 0).pid()).as("reaped once only").isEqualTo(-Os.ECHILD);
    }

    @Test
    @EnabledOnOs(OS.LINUX)
    void wnohangBeforeTheExitReturnsPidZeroThenKillShowsAsSignaled() {
        int pid = start(List.of("sleep", "60"), NO_WAIT);
        assertThat(Os.waitpid(pid, Os.WNOHANG)).isEqualTo(new Os.WaitResult(0, 0));
        assertThat(Os.waitpid(-1, Os.WNOHANG)).isEqualTo(new Os.WaitResult(0, 0));
        assertThat(Os.kill(pid, Os.SIGKILL)).isZero();
        Os.WaitResult w = Os.waitpid(pid, 0);
        assertThat(w.pid()).isEqualTo(pid);
        assertThat(Os.WIFSIGNALED(w.status())).isTrue();
        assertThat(Os.WTERMSIG(w.status())).isEqualTo(Os.SIGKILL);
        assertThat(Os.WIFEXITED(w.status())).isFalse();
    }

    @Test
    @EnabledOnOs(OS.LINUX)
    void wuntracedReportsAStopAndWcontinuedTheContinue() {
        int pid = start(List.of("sleep", "60"), NO_WAIT);
        assertThat(Os.kill(pid, Os.SIGSTOP)).isZero();
        Os.WaitResult stopped = Os.waitpid(pid, Os.WUNTRACED);
        assertThat(stopped.pid()).isEqualTo(pid);
        assertThat(Os.WIFSTOPPED(stopped.status())).isTrue();
        assertThat(Os.WSTOPSIG(stopped.status())).isEqualTo(Os.SIGSTOP);
        assertThat(Os.kill(pid, Os.SIGCONT)).isZero();
        Os.WaitResult continued = Os.waitpid(-1, Os.WCONTINUED);
        assertThat(continued.pid()).isEqualTo(pid);
        assertThat(Os.WIFCONTINUED(continued.status())).isTrue();
        assertThat(Os.kill(pid, Os.SIGTERM)).isZero();
        Os.WaitResult w = Os.waitpid(-1, 0);
        assertThat(w.pid()).isEqualTo(pid);
        assertThat(Os.WTERMSIG(w.status())).isEqualTo(Os.SIGTERM);
    }

    @Test
    @EnabledOnOs(OS.LINUX)
    void aMissingProgramIsMinusEnoentAndLeavesNoChild() {
        List<String> args = List.of("/nonexistent/spawnkit-no-such-program");
        assertThat(Os.exec(args, Os.ExecOptions.DEFAULTS)).isEqualTo(-Os.ENOENT);
        assertThat(Os.exec(args, NO_WAIT)).isEqualTo(-Os.ENOENT);
        assertThat(Os.exec(List.of("spawnkit-no-such-program-on-path"), NO_WAIT)).isEqualTo(-Os.ENOENT);
        assertThat(Os.waitpid(-1, Os.WNOHANG).pid()).as("no child of ours").isEqualTo(-Os.ECHILD);
        assertThat(Os.waitpid(-1, 0).pid()).isEqualTo(-Os.ECHILD);
        assertThat(Os.strerror(-Os.ENOENT)).contains("ENOENT");
    }

    @Test
    @EnabledOnOs(OS.LINUX)
    void withoutUsePathAProgramNameIsNotLookedUp() {
        assertThat(Os.exec(List.of("sh", "-c", "exit 0"), Os.ExecOptions.DEFAULTS.usePath(false).cwd(Path.of("/")))).isEqualTo(-Os.ENOENT);
        assertThat(Os.exec(List.of("/bin/sh", "-c", "exit 4"), Os.ExecOptions.DEFAULTS.usePath(false))).isEqualTo(4);
    }

    @Test
    @EnabledOnOs(OS.LINUX)
    void aMissingWorkingDirectoryIsMinusEnoent() {
        assertThat(Os.exec(List.of("true"), Os.ExecOptions.DEFAULTS.cwd(Path.of("/nonexistent/spawnkit-dir"))))
                .isEqualTo(-Os.ENOENT);
    }

    @Test
    @EnabledOnOs(OS.LINUX)
    void stdoutGoesToAPipeReadBackWithRead() {
        assertThat(output(List.of("sh", "-c", "echo hello; echo to-stderr >&2"), NO_WAIT.stderr(devNull())))
                .isEqualTo("hello\n");
    }

    @Test
    @EnabledOnOs(OS.LINUX)
    void stdinComesFromAPipeWrittenWithWrite() {
        int[] in = fds.pipe();
        int[] out = fds.pipe();
        int pid = start(List.of("cat"), NO_WAIT.stdin(in[0]).stdout(out[1]));
        fds.close(in[0]);
        fds.close(out[1]);
        byte[] data = "line one\nline two\n".getBytes(StandardCharsets.UTF_8);
        byte[] padded = new byte[data.length + 4];
        System.arraycopy(data, 0, padded, 2, data.length);
        assertThat(Os.write(in[1], padded, 2, data.length)).isEqualTo(data.length);
        fds.close(in[1]);
        assertThat(readAll(out[0])).isEqualTo("line one\nline two\n");
        Os.WaitResult w = Os.waitpid(pid, 0);
        assertThat(Os.WEXITSTATUS(w.status())).isZero();
    }

    @Test
    @EnabledOnOs(OS.LINUX)
    void stdoutAndStderrCanShareAPipe() {
        int[] p = fds.pipe();
        int pid = start(List.of("sh", "-c", "echo out; echo err >&2"), NO_WAIT.stdout(p[1]).stderr(p[1]));
        fds.close(p[1]);
        assertThat(readAll(p[0])).isEqualTo("out\nerr\n");
        assertThat(Os.waitpid(pid, 0).pid()).isEqualTo(pid);
    }

    @Test
    @EnabledOnOs(OS.LINUX)
    void aDescriptorThatIsNotOpenFailsTheExecWithEbadf() {
        assertThat(Os.exec(List.of("true"), Os.ExecOptions.DEFAULTS.stdin(54321))).isEqualTo(-Os.EBADF);
    }

    @Test
    @EnabledOnOs(OS.LINUX)
    void theWorkingDirectoryOption(@TempDir Path dir) throws IOException {
        Path real = dir.toRealPath();
        assertThat(output(List.of("sh", "-c", "pwd -P"), NO_WAIT.cwd(real))).isEqualTo(real + "\n");
    }

    @Test
    @EnabledOnOs(OS.LINUX)
    void theEnvironmentOptionReplacesTheWholeEnvironment() {
        assertThat(output(List.of("sh", "-c", "echo \"$SPAWNKIT_OS_TEST:${HOME-unset}\""),
                NO_WAIT.env(Map.of("SPAWNKIT_OS_TEST", "yes")))).isEqualTo("yes:unset\n");
        // null: this JVM's environment
        String home = System.getenv("HOME");
        if (home != null) {
            assertThat(output(List.of("sh", "-c", "echo \"$HOME\""), NO_WAIT)).isEqualTo(home + "\n");
        }
    }

    @Test
    @EnabledOnOs(OS.LINUX)
    void theFileOptionRunsAProgramOtherThanArgvZero() {
        assertThat(output(List.of("my-own-name", "-c", "echo \"$0\""), NO_WAIT.file("/bin/sh")))
                .isEqualTo("my-own-name\n");
        assertThat(output(List.of("another-name", "-c", "echo \"$0\""), NO_WAIT.file("sh")))
                .isEqualTo("another-name\n");
    }

    @Test
    @EnabledOnOs(OS.LINUX)
    void aWaitWithInvalidOptionsFailsWithEinvalAndForgetsNoChild() {
        int pid = start(List.of("sh", "-c", "exit 5"), NO_WAIT);
        int invalid = 0x10; // WEXITED: waitid's flag, which waitpid refuses
        assertThat(Os.waitpid(pid, invalid).pid()).isEqualTo(-Os.EINVAL);
        assertThat(Os.waitpid(-1, invalid).pid()).isEqualTo(-Os.EINVAL);
        Os.WaitResult w = Os.waitpid(-1, 0);
        assertThat(w.pid()).as("still remembered for waitpid(-1)").isEqualTo(pid);
        assertThat(Os.WEXITSTATUS(w.status())).isEqualTo(5);
    }

    @Test
    @EnabledOnOs(OS.LINUX)
    void processGroupWaitsAreRefused() {
        assertThat(Os.waitpid(0, Os.WNOHANG).pid()).isEqualTo(-Os.EINVAL);
        assertThat(Os.waitpid(-12345, Os.WNOHANG).pid()).isEqualTo(-Os.EINVAL);
    }

    @Test
    @EnabledOnOs(OS.LINUX)
    void waitpidOfAPidThatIsNotOurChildIsMinusEchild() {
        assertThat(Os.waitpid(1, Os.WNOHANG)).isEqualTo(new Os.WaitResult(-Os.ECHILD, 0));
    }

    @Test
    @EnabledOnOs(OS.LINUX)
    void badArgumentsThrow() {
        assertThatThrownBy(() -> Os.exec(List.of(), Os.ExecOptions.DEFAULTS)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Os.exec(List.of("a\0b"), Os.ExecOptions.DEFAULTS)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Os.read(0, new byte[2], 1, 2)).isInstanceOf(IndexOutOfBoundsException.class);
    }

    // ---- descriptors ----------------------------------------------------------------------------

    /** A sink for a few bytes: a pipe nobody reads (its read end stays open, so no SIGPIPE). */
    private int devNull() {
        return fds.pipe()[1];
    }

    @Test
    @EnabledOnOs(OS.LINUX)
    void pipeEndsAreCloseOnExecAndAboveStdio() throws IOException {
        int[] p = fds.pipe();
        assertThat(p[0]).isGreaterThan(2);
        assertThat(p[1]).isGreaterThan(2);
        String flags = Files.readString(Path.of("/proc/self/fdinfo/" + p[0]));
        // "flags:\t02000000" and more: O_CLOEXEC is octal 02000000
        String octal = flags.lines().filter(l -> l.startsWith("flags:")).findFirst().orElseThrow().split("\\s+")[1];
        assertThat(Integer.parseInt(octal, 8) & 02000000).isNotZero();
    }

    @Test
    @EnabledOnOs(OS.LINUX)
    void dupDup2AndClose() {
        int[] p = fds.pipe();
        int copy = Os.dup(p[1]);
        assertThat(copy).isGreaterThan(2);
        fds.add(copy);
        int target = copy + 50;
        assertThat(Os.dup2(p[0], target)).isEqualTo(target);
        fds.add(target);
        byte[] msg = {1, 2, 3};
        assertThat(Os.write(copy, msg, 0, 3)).isEqualTo(3);
        fds.close(copy);
        fds.close(p[1]);
        byte[] buf = new byte[8];
        assertThat(Os.read(target, buf, 0, 8)).isEqualTo(3);
        assertThat(Os.read(target, buf, 0, 8)).as("end of file: every write end closed").isZero();
        fds.close(target);
        assertThat(Os.close(target)).isEqualTo(-Os.EBADF);
    }

    @Test
    @EnabledOnOs(OS.LINUX)
    void descriptorCallsOnABadDescriptorAreMinusEbadf() {
        int bad = 54321;
        assertThat(Os.close(bad)).isEqualTo(-Os.EBADF);
        assertThat(Os.close(-1)).isEqualTo(-Os.EBADF);
        assertThat(Os.dup(bad)).isEqualTo(-Os.EBADF);
        assertThat(Os.dup2(bad, 54322)).isEqualTo(-Os.EBADF);
        assertThat(Os.read(bad, new byte[1], 0, 1)).isEqualTo(-Os.EBADF);
        assertThat(Os.write(bad, new byte[1], 0, 1)).isEqualTo(-Os.EBADF);
    }

    @Test
    @EnabledOnOs(OS.LINUX)
    void writeToAPipeWithoutReaderIsMinusEpipe() {
        int[] p = fds.pipe();
        fds.close(p[0]);
        // the JVM ignores SIGPIPE, so the write fails instead of killing us
        assertThat(Os.write(p[1], new byte[1], 0, 1)).isEqualTo(-Os.EPIPE);
    }

    // ---- ids and signals --------------------------------------------------------------------------

    @Test
    @EnabledOnOs(OS.LINUX)
    void getpidIsThisProcess() {
        assertThat((long) Os.getpid()).isEqualTo(ProcessHandle.current().pid());
    }

    @Test
    @EnabledOnOs(OS.LINUX)
    void killOfNoSuchProcessIsMinusEsrch() {
        int pid = start(List.of("true"), NO_WAIT);
        assertThat(Os.waitpid(pid, 0).pid()).isEqualTo(pid);
        // reaped: the pid is free (reuse within this instant is not a concern for signal 0)
        assertThat(Os.kill(pid, 0)).isIn(0, -Os.ESRCH);
        assertThat(Os.kill(Integer.MAX_VALUE, 0)).isEqualTo(-Os.ESRCH);
    }

    // ---- the status macros (pure) -----------------------------------------------------------------

    @Test
    void statusMacrosDecodeLinuxWaitStatuses() {
        int exited3 = 3 << 8;
        assertThat(Os.WIFEXITED(exited3)).isTrue();
        assertThat(Os.WEXITSTATUS(exited3)).isEqualTo(3);
        assertThat(Os.WIFSIGNALED(exited3)).isFalse();
        assertThat(Os.WIFSTOPPED(exited3)).isFalse();
        assertThat(Os.WIFCONTINUED(exited3)).isFalse();

        int killed = 9;
        assertThat(Os.WIFSIGNALED(killed)).isTrue();
        assertThat(Os.WTERMSIG(killed)).isEqualTo(9);
        assertThat(Os.WIFEXITED(killed)).isFalse();
        assertThat(Os.WCOREDUMP(killed)).isFalse();

        int segvCore = 0x80 | 11;
        assertThat(Os.WIFSIGNALED(segvCore)).isTrue();
        assertThat(Os.WTERMSIG(segvCore)).isEqualTo(11);
        assertThat(Os.WCOREDUMP(segvCore)).isTrue();

        int stopped = (Os.SIGSTOP << 8) | 0x7f;
        assertThat(Os.WIFSTOPPED(stopped)).isTrue();
        assertThat(Os.WSTOPSIG(stopped)).isEqualTo(Os.SIGSTOP);
        assertThat(Os.WIFSIGNALED(stopped)).isFalse();
        assertThat(Os.WIFEXITED(stopped)).isFalse();

        assertThat(Os.WIFCONTINUED(0xffff)).isTrue();
        assertThat(Os.WIFSIGNALED(0xffff)).isFalse();
        assertThat(Os.WIFEXITED(0xffff)).isFalse();
    }

    // ---- elsewhere --------------------------------------------------------------------------------

    /** Run in a JVM without native access: every call of {@link Os} must refuse, naming Linux. */
    public static final class NoNativeAccessDriver {
        public static void main(String[] args) {
            List<Runnable> calls = List.of(
                    () -> Os.exec(List.of("true"), Os.ExecOptions.DEFAULTS), () -> Os.waitpid(-1, 0), Os::pipe,
                    () -> Os.dup(0), () -> Os.dup2(0, 5), () -> Os.close(5), () -> Os.read(0, new byte[1], 0, 1),
                    () -> Os.write(1, new byte[1], 0, 1), () -> Os.kill(1, 0), Os::getpid);
            for (Runnable call : calls) {
                try {
                    call.run();
                    System.out.println("ran");
                } catch (UnsupportedOperationException e) {
                    System.out.println("refused: " + e.getMessage());
                }
            }
            System.out.println("macros: " + Os.WIFEXITED(0));
        }
    }

    @Test
    @EnabledOnOs(OS.LINUX)
    void withoutNativeAccessEveryCallRefusesNamingLinux() throws Exception {
        String classPath = Path.of(Os.class.getProtectionDomain().getCodeSource().getLocation().toURI())
                + java.io.File.pathSeparator
                + Path.of(OsTest.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        io.spawnkit.Output out = io.spawnkit.Command.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xshare:auto", "-XX:TieredStopAtLevel=1", "--illegal-native-access=deny", "-cp", classPath,
                NoNativeAccessDriver.class.getName()).output();
        assertThat(out.status().isSuccess()).as(out.stderrText()).isTrue();
        List<String> lines = out.stdoutText().lines().toList();
        assertThat(lines).hasSize(11);
        assertThat(lines.subList(0, 10)).allSatisfy(l -> assertThat(l)
                .startsWith("refused: Os.").contains("needs Linux with native access").contains("--enable-native-access"));
        assertThat(lines.get(10)).isEqualTo("macros: true");
    }

    @Test
    @DisabledOnOs({OS.LINUX, OS.WINDOWS}) // Windows has its own: WindowsOsTest
    void everyCallRefusesOnOtherSystems() {
        List<Runnable> calls = List.of(
                () -> Os.exec(List.of("true"), Os.ExecOptions.DEFAULTS),
                () -> Os.waitpid(-1, 0), Os::pipe, () -> Os.dup(0), () -> Os.dup2(0, 5), () -> Os.close(5),
                () -> Os.read(0, new byte[1], 0, 1), () -> Os.write(1, new byte[1], 0, 1),
                () -> Os.kill(1, 0), Os::getpid);
        for (Runnable call : calls) {
            assertThatThrownBy(call::run).isInstanceOf(UnsupportedOperationException.class).hasMessageContaining("Linux");
        }
    }
}
