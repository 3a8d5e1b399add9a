package io.spawnkit.os;

import static org.assertj.core.api.Assertions.assertThat;

import io.spawnkit.ChildProcess;
import io.spawnkit.Command;
import io.spawnkit.ExitStatus;
import io.spawnkit.Signal;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

/**
 * {@link Os} next to the high-level API in one JVM: {@code Os.waitpid(-1, ...)} never takes a
 * {@link ChildProcess}'s exit, and the event loop never reaps a child of {@code Os.exec}.
 */
@EnabledOnOs(OS.LINUX)
class OsCooperationTest {
    private static final Os.ExecOptions NO_WAIT = Os.ExecOptions.DEFAULTS.block(false);
    private static final int CHILDREN = 20;

    private final List<Integer> osPids = new ArrayList<>();
    private final OsDescriptors fds = new OsDescriptors();
    private final List<ChildProcess> highLevel = new ArrayList<>();
    private final List<Thread> threads = new ArrayList<>();

    @AfterEach
    void cleanUp() throws InterruptedException {
        for (ChildProcess c : highLevel) {
            c.kill(Signal.KILL);
        }
        for (int pid : osPids) {
            if (Os.waitpid(pid, Os.WNOHANG).pid() == 0) { // not reaped yet: the pid is still this child's
                Os.kill(pid, Os.SIGKILL);
            }
        }
        fds.closeAll(); // ends the children blocked on a pipe, and the waiter threads after them
        for (Thread t : threads) {
            t.join();
        }
        for (int pid : osPids) {
            Os.waitpid(pid, 0); // -ECHILD once reaped by the test
        }
        for (ChildProcess c : highLevel) {
            c.waitFor();
        }
    }

    /** An {@code Os.exec} child that exits with {@code code} once {@code in}'s write end is closed. */
    private int osChildExitingWhenClosed(int[] in, int code) {
        int pid = Os.exec(List.of("sh", "-c", "read x; exit " + code), NO_WAIT.stdin(in[0]));
        assertThat(pid).isPositive();
        osPids.add(pid);
        return pid;
    }

    private ChildProcess spawn(String... argv) {
        ChildProcess c = Command.of(List.of(argv)).spawn();
        highLevel.add(c);
        return c;
    }

    private Thread thread(Runnable body) {
        Thread t = Thread.ofPlatform().daemon().start(body);
        threads.add(t);
        return t;
    }

    @Test
    void waitpidMinusOneDoesNotStealChildrenOfTheHighLevelApi() throws Exception {
        int[] in = fds.pipe();
        int osChild = osChildExitingWhenClosed(in, 4);

        // one thread blocked in waitpid(-1, 0) until no Os child is left, one spinning on WNOHANG
        ConcurrentLinkedQueue<Os.WaitResult> blocking = new ConcurrentLinkedQueue<>();
        ConcurrentLinkedQueue<Os.WaitResult> polled = new ConcurrentLinkedQueue<>();
        CompletableFuture<Void> blockingDone = new CompletableFuture<>();
        thread(() -> {
            Os.WaitResult w;
            do {
                w = Os.waitpid(-1, 0);
                blocking.add(w);
            } while (w.pid() > 0);
            blockingDone.complete(null);
        });
        thread(() -> {
            while (!blockingDone.isDone()) {
                Os.WaitResult w = Os.waitpid(-1, Os.WNOHANG);
                if (w.pid() != 0) {
                    polled.add(w);
                }
            }
        });

        for (int i = 0; i < CHILDREN; i++) {
            ChildProcess c = spawn("sh", "-c", "exit " + (10 + i));
            assertThat(c.waitFor()).as("high-level child %d", i).isEqualTo(new ExitStatus.Exited(10 + i));
        }
        ChildProcess killed = spawn("sleep", "60");
        killed.kill(Signal.KILL);
        assertThat(killed.waitFor().terminatingSignal()).contains(Signal.KILL);

        fds.close(in[1]); // now the Os child exits
        blockingDone.get();
        threads.get(1).join();

        List<Os.WaitResult> all = new ArrayList<>(blocking);
        all.addAll(polled);
        List<Os.WaitResult> reaped = all.stream().filter(w -> w.pid() > 0).toList();
        assertThat(reaped).as("the Os child's exit, once, and nothing else: %s", all).hasSize(1);
        assertThat(reaped.getFirst().pid()).isEqualTo(osChild);
        assertThat(Os.WEXITSTATUS(reaped.getFirst().status())).isEqualTo(4);
        assertThat(all.stream().filter(w -> w.pid() < 0).map(Os.WaitResult::pid))
                .as("failures: only 'no Os child left'").allMatch(pid -> pid == -Os.ECHILD);
        assertThat(blocking.stream().reduce((a, b) -> b).orElseThrow().pid()).isEqualTo(-Os.ECHILD);
    }

    @Test
    void waitpidMinusOneWithNoOsChildReturnsEchildWhileHighLevelChildrenRun() throws Exception {
        ChildProcess running = spawn("sleep", "60");
        assertThat(Os.waitpid(-1, 0)).isEqualTo(new Os.WaitResult(-Os.ECHILD, 0));
        assertThat(Os.waitpid(-1, Os.WNOHANG)).isEqualTo(new Os.WaitResult(-Os.ECHILD, 0));
        assertThat(running.isAlive()).isTrue();
        running.kill(Signal.KILL);
        assertThat(running.waitFor().terminatingSignal()).contains(Signal.KILL);
    }

    @Test
    void anEndedOsChildIsNotReapedByTheEventLoopWhileHighLevelChildrenComeAndGo() throws Exception {
        int[] out = fds.pipe();
        int pid = Os.exec(List.of("sh", "-c", "exit 9"), NO_WAIT.stdout(out[1]));
        assertThat(pid).isPositive();
        osPids.add(pid);
        fds.close(out[1]);
        byte[] buf = new byte[1];
        assertThat(Os.read(out[0], buf, 0, 1)).as("end of file: the child is exiting").isZero();

        for (int i = 0; i < CHILDREN; i++) {
            ChildProcess c = spawn("sh", "-c", "exit " + i);
            assertThat(c.waitFor()).isEqualTo(new ExitStatus.Exited(i));
        }

        Os.WaitResult w = Os.waitpid(pid, 0);
        assertThat(w.pid()).as("still ours to reap").isEqualTo(pid);
        assertThat(Os.WIFEXITED(w.status())).isTrue();
        assertThat(Os.WEXITSTATUS(w.status())).isEqualTo(9);
    }

    @Test
    void aBlockingWaitForOneOsChildIsNotWokenForOthers() throws Exception {
        int[] first = fds.pipe();
        int[] second = fds.pipe();
        int a = osChildExitingWhenClosed(first, 1);
        int b = osChildExitingWhenClosed(second, 2);
        CompletableFuture<Os.WaitResult> waitA = new CompletableFuture<>();
        thread(() -> waitA.complete(Os.waitpid(a, 0)));
        fds.close(second[1]);
        Os.WaitResult wb = Os.waitpid(b, 0);
        assertThat(wb.pid()).isEqualTo(b);
        assertThat(Os.WEXITSTATUS(wb.status())).isEqualTo(2);
        assertThat(waitA).isNotDone(); // a still runs: it waits for its stdin
        fds.close(first[1]);
        Os.WaitResult wa = waitA.get();
        assertThat(wa.pid()).isEqualTo(a);
        assertThat(Os.WEXITSTATUS(wa.status())).isEqualTo(1);
    }
}
