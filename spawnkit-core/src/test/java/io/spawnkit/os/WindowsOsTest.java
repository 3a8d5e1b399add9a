package io.spawnkit.os;

import static org.assertj.core.api.Assertions.assertThat;

import io.spawnkit.ChildProcess;
import io.spawnkit.Command;
import io.spawnkit.ExitStatus;
import io.spawnkit.Signal;
import io.spawnkit.Stdio;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link Os} on Windows with real processes (cmd.exe, findstr.exe, ping.exe from System32): run by
 * the windows-latest workflow only; it was written on Linux, where nobody could run it. A child's
 * output always goes to a pipe of ours, never to this JVM's stdout (surefire's channel).
 */
@EnabledOnOs(OS.WINDOWS)
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class WindowsOsTest {
    private static final Os.ExecOptions NO_WAIT = Os.ExecOptions.DEFAULTS.block(false);

    private final List<Integer> pids = new ArrayList<>();
    private final OsDescriptors fds = new OsDescriptors();
    private final List<ChildProcess> highLevel = new ArrayList<>();

    @AfterEach
    void cleanUp() throws InterruptedException {
        Thread.interrupted(); // a test that interrupted itself must not break the waits below
        for (int pid : pids) {
            if (Os.waitpid(pid, Os.WNOHANG).pid() == 0) { // still ours and running
                Os.kill(pid, Os.SIGKILL);
            }
            Os.waitpid(pid, 0); // -ECHILD once reaped by the test
        }
        fds.closeAll();
        for (ChildProcess c : highLevel) {
            c.kill(Signal.KILL);
            c.waitFor();
        }
    }

    private int execNoWait(List<String> args, Os.ExecOptions options) {
        int pid = Os.exec(args, options);
        assertThat(pid).as("exec " + args).isPositive();
        pids.add(pid);
        return pid;
    }

    /** Reads {@code fd} to its end. */
    private static String readAll(int fd) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buf = new byte[4096];
        while (true) {
            int n = Os.read(fd, buf, 0, buf.length);
            assertThat(n).as("read").isGreaterThanOrEqualTo(0);
            if (n == 0) {
                return out.toString(StandardCharsets.UTF_8);
            }
            out.write(buf, 0, n);
        }
    }

    /** Runs a child with stdout (and stderr) to a pipe; returns what it wrote, after reaping it with exit code 0. */
    private String output(List<String> args, Os.ExecOptions options) {
        int[] p = fds.pipe();
        int pid = execNoWait(args, options.block(false).stdout(p[1]).stderr(p[1]));
        fds.close(p[1]);
        String text = readAll(p[0]);
        Os.WaitResult w = Os.waitpid(pid, 0);
        assertThat(w.pid()).isEqualTo(pid);
        assertThat(Os.WEXITSTATUS(w.status())).as("exit status; output: " + text).isZero();
        return text;
    }

    /** A high-level child, its output discarded. */
    private ChildProcess spawn(String... argv) {
        ChildProcess c = Command.of(List.of(argv)).stdout(Stdio.ignore()).stderr(Stdio.ignore()).spawn();
        highLevel.add(c);
        return c;
    }

    private static final List<String> PING_30 = List.of("ping.exe", "-n", "30", "127.0.0.1");

    @Test
    void blockingExecReturnsTheExitCode() {
        assertThat(Os.exec(List.of("cmd.exe", "/d", "/c", "exit", "3"), Os.ExecOptions.DEFAULTS)).isEqualTo(3);
        assertThat(Os.exec(List.of("cmd.exe", "/d", "/c", "exit", "0"), Os.ExecOptions.DEFAULTS)).isZero();
    }

    @Test
    void blockingExecGivesTheLowEightBitsAndWaitpidTheWholeCode() {
        assertThat(Os.exec(List.of("cmd.exe", "/d", "/c", "exit", "300"), Os.ExecOptions.DEFAULTS)).isEqualTo(300 & 0xff);
        int pid = execNoWait(List.of("cmd.exe", "/d", "/c", "exit", "300"), NO_WAIT);
        Os.WaitResult w = Os.waitpid(pid, 0);
        assertThat(w.pid()).isEqualTo(pid);
        assertThat(Os.WIFEXITED(w.status())).isTrue();
        assertThat(Os.WIFSIGNALED(w.status())).isFalse();
        assertThat(Os.WEXITSTATUS(w.status())).isEqualTo(300 & 0xff);
        assertThat(w.status()).isEqualTo(300 << 8);
        assertThat(w.exitCode()).isEqualTo(300);
    }

    @Test
    void aMissingProgramIsMinusEnoentAndLeavesNoChild() {
        assertThat(Os.exec(List.of("spawnkit-no-such-program"), Os.ExecOptions.DEFAULTS)).isEqualTo(-Os.ENOENT);
        assertThat(Os.exec(List.of("spawnkit-no-such-program"), NO_WAIT)).isEqualTo(-Os.ENOENT);
        assertThat(Os.exec(List.of("spawnkit-no-such-program.exe"), NO_WAIT.usePath(false))).isEqualTo(-Os.ENOENT);
        assertThat(Os.waitpid(-1, Os.WNOHANG)).isEqualTo(new Os.WaitResult(-Os.ECHILD, 0));
    }

    @Test
    void withoutUsePathANameIsAPathAgainstTheWorkingDirectory() {
        // cmd.exe is in System32, not in the current directory: without a PATH search it is not found
        assertThat(Os.exec(List.of("cmd.exe", "/d", "/c", "exit", "0"), Os.ExecOptions.DEFAULTS.usePath(false)))
                .isEqualTo(-Os.ENOENT);
        Path system32 = Path.of(System.getenv("SystemRoot"), "System32");
        assertThat(Os.exec(List.of("cmd.exe", "/d", "/c", "exit", "4"),
                Os.ExecOptions.DEFAULTS.usePath(false).cwd(system32))).isEqualTo(4);
    }

    @Test
    void wnohangReturnsPidZeroWhileRunningThenSigkillExitsWithOne() {
        int[] p = fds.pipe();
        int pid = execNoWait(PING_30, NO_WAIT.stdout(p[1]).stderr(p[1]));
        assertThat(Os.waitpid(pid, Os.WNOHANG)).isEqualTo(new Os.WaitResult(0, 0));
        assertThat(Os.waitpid(-1, Os.WNOHANG)).isEqualTo(new Os.WaitResult(0, 0));
        assertThat(Os.kill(pid, 0)).as("still running").isZero();
        assertThat(Os.kill(pid, Os.SIGKILL)).isZero();
        Os.WaitResult w = Os.waitpid(pid, 0);
        assertThat(w.pid()).isEqualTo(pid);
        assertThat(Os.WIFEXITED(w.status())).isTrue();
        assertThat(Os.WEXITSTATUS(w.status())).as("TerminateProcess(h, 1), as libuv").isEqualTo(1);
        assertThat(Os.waitpid(pid, Os.WNOHANG).pid()).as("reaped: no longer ours").isEqualTo(-Os.ECHILD);
    }

    @Test
    void sigtermAndSigintEndTheProcessTooAndOtherSignalsAreEnosys() {
        int[] p = fds.pipe();
        int a = execNoWait(PING_30, NO_WAIT.stdout(p[1]).stderr(p[1]));
        int b = execNoWait(PING_30, NO_WAIT.stdout(p[1]).stderr(p[1]));
        assertThat(Os.kill(a, Os.SIGHUP)).isEqualTo(-Os.ENOSYS);
        assertThat(Os.kill(a, Os.SIGUSR1)).isEqualTo(-Os.ENOSYS);
        assertThat(Os.kill(a, 0)).as("an unsupported signal did nothing").isZero();
        assertThat(Os.kill(a, Os.SIGTERM)).isZero();
        assertThat(Os.kill(b, Os.SIGINT)).isZero();
        assertThat(Os.WEXITSTATUS(Os.waitpid(a, 0).status())).isEqualTo(1);
        assertThat(Os.WEXITSTATUS(Os.waitpid(b, 0).status())).isEqualTo(1);
    }

    @Test
    void anExitedChildIsEsrchForKillBeforeItIsReaped() throws InterruptedException {
        int pid = execNoWait(List.of("cmd.exe", "/d", "/c", "exit", "5"), NO_WAIT);
        for (int i = 0; i < 600 && Os.kill(pid, 0) == 0; i++) {
            Thread.sleep(50); // until it has exited; the handle we hold keeps its pid from being reused
        }
        assertThat(Os.kill(pid, 0)).isEqualTo(-Os.ESRCH);
        assertThat(Os.kill(pid, Os.SIGKILL)).as("TerminateProcess on an exited process").isEqualTo(-Os.ESRCH);
        Os.WaitResult w = Os.waitpid(pid, 0);
        assertThat(w.pid()).isEqualTo(pid);
        assertThat(w.exitCode()).as("the kill after the exit changed nothing").isEqualTo(5);
    }

    @Test
    void killRefusesGroupsAndBadSignalsAndNamesNoSuchProcess() {
        assertThat(Os.kill(0, 0)).isEqualTo(-Os.EINVAL);
        assertThat(Os.kill(-1, Os.SIGKILL)).isEqualTo(-Os.EINVAL);
        assertThat(Os.kill(Os.getpid(), -1)).isEqualTo(-Os.EINVAL);
        assertThat(Os.kill(Os.getpid(), 0)).as("this JVM runs").isZero();
        assertThat(Os.kill(0x7ffffffc, 0)).as("no such pid").isEqualTo(-Os.ESRCH);
    }

    @Test
    void stdoutGoesToAPipeReadBackWithRead() {
        assertThat(output(List.of("cmd.exe", "/d", "/c", "echo", "hello"), NO_WAIT)).isEqualTo("hello\r\n");
    }

    @Test
    void blockingExecWritesToAPipeToo() {
        int[] p = fds.pipe();
        assertThat(Os.exec(List.of("cmd.exe", "/d", "/c", "echo", "blocking"), Os.ExecOptions.DEFAULTS.stdout(p[1])))
                .isZero();
        fds.close(p[1]);
        assertThat(readAll(p[0])).isEqualTo("blocking\r\n");
    }

    @Test
    void stdinComesFromAPipeWrittenWithWrite() {
        int[] in = fds.pipe();
        int[] out = fds.pipe();
        int pid = execNoWait(List.of("findstr.exe", "x"), NO_WAIT.stdin(in[0]).stdout(out[1]));
        fds.close(in[0]);
        fds.close(out[1]);
        byte[] text = "one x\r\ntwo\r\nthree x\r\n".getBytes(StandardCharsets.US_ASCII);
        assertThat(Os.write(in[1], text, 0, text.length)).isEqualTo(text.length);
        fds.close(in[1]);
        assertThat(readAll(out[0])).isEqualTo("one x\r\nthree x\r\n");
        assertThat(Os.WEXITSTATUS(Os.waitpid(pid, 0).status())).isZero();
    }

    @Test
    void theChildInheritsOnlyTheDescriptorsItIsGiven() {
        // the pipe's write end stays only with us: once we close it, the child's read sees the end
        int[] in = fds.pipe();
        int[] out = fds.pipe();
        int pid = execNoWait(List.of("findstr.exe", "."), NO_WAIT.stdin(in[0]).stdout(out[1]));
        fds.close(in[0]);
        fds.close(in[1]); // had the child inherited this write end, it would never see the end and the read would hang
        fds.close(out[1]);
        assertThat(readAll(out[0])).isEmpty();
        assertThat(Os.waitpid(pid, 0).pid()).isEqualTo(pid);
    }

    @Test
    void dupDup2CloseAndBadDescriptors() {
        int[] p = fds.pipe();
        int copy = Os.dup(p[1]);
        assertThat(copy).isGreaterThanOrEqualTo(0).isNotIn(p[0], p[1]);
        fds.add(copy);
        byte[] a = "a".getBytes(StandardCharsets.US_ASCII);
        assertThat(Os.write(copy, a, 0, 1)).isEqualTo(1);
        assertThat(Os.dup2(p[1], 50)).isEqualTo(50);
        fds.add(50);
        byte[] b = "b".getBytes(StandardCharsets.US_ASCII);
        assertThat(Os.write(50, b, 0, 1)).isEqualTo(1);
        fds.close(50);
        assertThat(Os.close(50)).as("closed twice").isEqualTo(-Os.EBADF);
        fds.close(copy);
        fds.close(p[1]);
        assertThat(readAll(p[0])).isEqualTo("ab");

        // the C runtime's invalid-parameter handler would end the JVM here: Ucrt silences it per call
        byte[] buf = new byte[1];
        assertThat(Os.close(9999)).isEqualTo(-Os.EBADF);
        assertThat(Os.close(-1)).isEqualTo(-Os.EBADF);
        assertThat(Os.dup(9999)).isEqualTo(-Os.EBADF);
        assertThat(Os.dup2(9999, 60)).isEqualTo(-Os.EBADF);
        assertThat(Os.read(9999, buf, 0, 1)).isEqualTo(-Os.EBADF);
        assertThat(Os.write(9999, buf, 0, 1)).isEqualTo(-Os.EBADF);
        assertThat(Os.exec(List.of("cmd.exe", "/d", "/c", "exit", "0"), NO_WAIT.stdout(9999))).isEqualTo(-Os.EBADF);
    }

    @Test
    void writeToAPipeWithoutReaderIsMinusEpipe() {
        int[] p = fds.pipe();
        fds.close(p[0]);
        byte[] data = "x".getBytes(StandardCharsets.US_ASCII);
        assertThat(Os.write(p[1], data, 0, 1)).isEqualTo(-Os.EPIPE);
    }

    @Test
    void readAfterTheWriterClosedIsTheEnd() {
        int[] p = fds.pipe();
        fds.close(p[1]);
        assertThat(Os.read(p[0], new byte[8], 0, 8)).isZero();
    }

    @Test
    void waitpidRefusesBadArguments() {
        assertThat(Os.waitpid(0, 0)).isEqualTo(new Os.WaitResult(-Os.EINVAL, 0));
        assertThat(Os.waitpid(-7, 0)).isEqualTo(new Os.WaitResult(-Os.EINVAL, 0));
        assertThat(Os.waitpid(-1, 0x100)).isEqualTo(new Os.WaitResult(-Os.EINVAL, 0));
        assertThat(Os.waitpid(Os.getpid(), Os.WNOHANG)).as("not our child").isEqualTo(new Os.WaitResult(-Os.ECHILD, 0));
    }

    @Test
    void waitpidOfAnyChildSeesOnlyOsChildren() throws InterruptedException {
        ChildProcess ping = spawn("ping.exe", "-n", "30", "127.0.0.1");
        assertThat(Os.waitpid(-1, 0)).as("no Os child, a Command child running").isEqualTo(new Os.WaitResult(-Os.ECHILD, 0));
        assertThat(Os.waitpid(-1, Os.WNOHANG)).isEqualTo(new Os.WaitResult(-Os.ECHILD, 0));
        assertThat(Os.waitpid((int) ping.pid(), 0)).as("a Command child is not Os's").isEqualTo(new Os.WaitResult(-Os.ECHILD, 0));

        ChildProcess six = spawn("cmd.exe", "/d", "/c", "exit", "6");
        int four = execNoWait(List.of("cmd.exe", "/d", "/c", "exit", "4"), NO_WAIT);
        Os.WaitResult w = Os.waitpid(-1, 0);
        assertThat(w.pid()).isEqualTo(four);
        assertThat(w.exitCode()).isEqualTo(4);
        assertThat(Os.waitpid(-1, 0)).isEqualTo(new Os.WaitResult(-Os.ECHILD, 0));
        assertThat(six.waitFor()).as("the Command child's exit is still its own").isEqualTo(ExitStatus.exited(6));
        assertThat(ping.isAlive()).isTrue();
    }

    @Test
    void aCommandChildsOnExitCompletesWhileOsWaitsForAny() throws Exception {
        ChildProcess seven = spawn("cmd.exe", "/d", "/c", "exit", "7");
        int[] p = fds.pipe();
        int osChild = execNoWait(PING_30, NO_WAIT.stdout(p[1]).stderr(p[1]));
        // Os.waitpid(-1) polls its own children while the Command child exits and is reaped by the loop
        while (!seven.onExit().isDone()) {
            assertThat(Os.waitpid(-1, Os.WNOHANG)).isEqualTo(new Os.WaitResult(0, 0));
            Thread.sleep(20);
        }
        assertThat(seven.onExit().get(30, TimeUnit.SECONDS)).isEqualTo(ExitStatus.exited(7));
        assertThat(Os.kill(osChild, Os.SIGKILL)).isZero();
        assertThat(Os.waitpid(-1, 0).pid()).isEqualTo(osChild);
    }

    @Test
    void anInterruptedWaitIsMinusEintr() {
        int[] p = fds.pipe();
        int pid = execNoWait(PING_30, NO_WAIT.stdout(p[1]).stderr(p[1]));
        Thread.currentThread().interrupt();
        try {
            assertThat(Os.waitpid(pid, 0)).isEqualTo(new Os.WaitResult(-Os.EINTR, 0));
            assertThat(Thread.currentThread().isInterrupted()).as("interrupt status kept").isTrue();
        } finally {
            Thread.interrupted();
        }
        assertThat(Os.waitpid(pid, Os.WNOHANG).pid()).as("still ours").isZero();
    }

    @Test
    void theWorkingDirectoryReachesTheChild(@TempDir Path dir) throws IOException {
        String cd = output(List.of("cmd.exe", "/d", "/c", "cd"), NO_WAIT.cwd(dir)).strip().toLowerCase(Locale.ROOT);
        // the temp folder may be given with 8.3 names (RUNNER~1): either spelling is the folder
        assertThat(cd).isIn(dir.toAbsolutePath().toString().toLowerCase(Locale.ROOT),
                dir.toRealPath().toString().toLowerCase(Locale.ROOT));
        assertThat(Os.exec(List.of("cmd.exe", "/d", "/c", "exit", "0"), NO_WAIT.cwd(dir.resolve("missing"))))
                .isEqualTo(-Os.ENOENT);
        Path file = Files.writeString(dir.resolve("file.txt"), "x");
        assertThat(Os.exec(List.of("cmd.exe", "/d", "/c", "exit", "0"), NO_WAIT.cwd(file))).isEqualTo(-Os.ENOTDIR);
    }

    @Test
    void theEnvironmentReplacesOurs() {
        String out = output(List.of("cmd.exe", "/d", "/c", "echo", "%SPAWNKIT_X%;%PATH%"),
                NO_WAIT.env(Map.of("SPAWNKIT_X", "hello there")));
        // PATH is not in the child's environment: cmd leaves the unknown variable as written
        assertThat(out).isEqualTo("hello there;%PATH%\r\n");
        assertThat(output(List.of("cmd.exe", "/d", "/c", "echo", "%SPAWNKIT_X%"), NO_WAIT))
                .as("without env: ours, where SPAWNKIT_X is not set").isEqualTo("%SPAWNKIT_X%\r\n");
    }

    @Test
    void aBatchFileRunsThroughCmd(@TempDir Path dir) throws IOException {
        Path bat = Files.writeString(dir.resolve("greet.bat"), "@echo off\r\necho bat %1 %2\r\nexit /b 9\r\n");
        int[] q = fds.pipe(); // blocking too, its output goes to a pipe of ours, not to surefire's channel
        assertThat(Os.exec(List.of(bat.toString(), "a"), Os.ExecOptions.DEFAULTS.usePath(false).stdout(q[1])))
                .isEqualTo(9);
        fds.close(q[1]);
        assertThat(readAll(q[0]).strip()).isEqualTo("bat a");
        int[] p = fds.pipe();
        int pid = execNoWait(List.of(bat.toString(), "one", "two & echo injected"), NO_WAIT.stdout(p[1]));
        fds.close(p[1]);
        // one line: the & reached the script as data inside its argument, not as a second command
        assertThat(readAll(p[0])).startsWith("bat one ").contains("two & echo injected").endsWith("\r\n")
                .doesNotContain("\r\ninjected");
        assertThat(Os.waitpid(pid, 0).exitCode()).isEqualTo(9);
        assertThat(Os.exec(List.of(bat.toString(), "line\nbreak"), Os.ExecOptions.DEFAULTS))
                .as("no quoting passes a newline to a batch file").isEqualTo(-Os.EINVAL);
    }

    @Test
    void theFileOptionRunsAProgramOtherThanArgvZero() {
        assertThat(output(List.of("whatever", "/d", "/c", "echo", "file"), NO_WAIT.file("cmd.exe")))
                .isEqualTo("file\r\n");
    }

    @Test
    void getpidAndStrerror() {
        assertThat((long) Os.getpid()).isEqualTo(ProcessHandle.current().pid());
        assertThat(Os.strerror(-Os.ENOENT)).isEqualTo("ENOENT (No such file or directory)");
        assertThat(Os.strerror(Os.ENOSYS)).startsWith("ENOSYS");
    }
}
