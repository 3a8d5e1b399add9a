package io.spawnkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.ref.WeakReference;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Thousands of children: each reaped exactly once, no zombie, no descriptor left (JDK's Zombies, FDLeaks). */
@Tag("portable")
class ZombieAndFdTest {

    private static void settle(TreeSet<Integer> fdsBefore, Set<Long> childrenBefore) {
        // no descriptor beyond those open before; some of those may close meanwhile (an earlier
        // test's dropped pipe ends, closed by the cleaner once collected)
        assertThat(Helper.eventually(Duration.ofSeconds(20), () -> fdsBefore.containsAll(Helper.openFds())))
                .as("descriptors now %s, before %s", Helper.openFds(), fdsBefore).isTrue();
        assertThat(Helper.eventually(Duration.ofSeconds(20), () -> childrenBefore.containsAll(Helper.childPids())))
                .as("children left: %s (zombies: %s)", Helper.childPids(), Helper.zombieChildren()).isTrue();
        assertThat(Helper.zombieChildren()).isEmpty();
    }

    @Test
    void twoThousandSequentialSpawnsLeaveNothing() throws Exception {
        Command.of("true").status(); // the backend's own descriptors exist from here on
        TreeSet<Integer> fds = Helper.openFds();
        Set<Long> children = new HashSet<>(Helper.childPids());
        for (int i = 0; i < 2000; i++) {
            ExitStatus s = Command.of("true").status();
            assertThat(s.isSuccess()).isTrue();
        }
        settle(fds, children);
    }

    @Test
    void pipedChildrenClosedAfterUseLeaveNothing() throws Exception {
        Command.of("true").output();
        TreeSet<Integer> fds = Helper.openFds();
        Set<Long> children = new HashSet<>(Helper.childPids());
        for (int i = 0; i < 300; i++) {
            Output out = Command.of("echo", "x" + i).stdin(Stdio.text("in")).output();
            assertThat(out.stdoutText()).isEqualTo("x" + i + "\n");
        }
        settle(fds, children);
    }

    @Test
    void droppedChildrenAreStillReaped() throws Exception {
        Command.of("true").status();
        TreeSet<Integer> fds = Helper.openFds();
        Set<Long> children = new HashSet<>(Helper.childPids());
        for (int i = 0; i < 200; i++) {
            Command.of("true").spawn(); // nobody waits, nobody keeps the ChildProcess
        }
        System.gc();
        settle(fds, children);
    }

    @Test
    void closingPipesOfARunningChildLeavesNothingOnceItEnds() throws Exception {
        Command.of("true").status();
        TreeSet<Integer> fds = Helper.openFds();
        Set<Long> children = new HashSet<>(Helper.childPids());
        for (int i = 0; i < 50; i++) {
            ChildProcess c = Command.of("cat").stdin(Stdio.pipe()).stdout(Stdio.pipe()).stderr(Stdio.pipe()).spawn();
            c.close(); // cat reads EOF and ends
            assertThat(c.waitFor().isSuccess()).isTrue();
        }
        settle(fds, children);
    }

    /**
     * A ChildProcess that is garbage-collected while its child still runs: the child is reaped
     * when it ends all the same. The children wait for a file that appears only once every
     * ChildProcess has been collected, so each one ends after its object is gone.
     */
    @Test
    void childrenDroppedAndCollectedWhileRunningAreReapedWhenTheyEnd(@TempDir Path tmp) throws Exception {
        Command.of("true").status();
        TreeSet<Integer> fds = Helper.openFds();
        Set<Long> children = new HashSet<>(Helper.childPids());
        Path go = tmp.resolve("go");
        List<Long> pids = new ArrayList<>();
        List<WeakReference<ChildProcess>> refs = new ArrayList<>();
        try {
            for (int i = 0; i < 50; i++) {
                ChildProcess c = Command.of("sh", "-c", "while [ ! -e \"$1\" ]; do sleep 0.05; done", "sh", go.toString())
                        .spawn();
                pids.add(c.pid());
                refs.add(new WeakReference<>(c));
            }
            assertThat(Helper.eventually(Duration.ofSeconds(30), () -> {
                System.gc();
                return refs.stream().allMatch(r -> r.get() == null);
            })).as("every dropped ChildProcess collected").isTrue();
            assertThat(pids).as("children still running after their objects were collected")
                    .noneMatch(Helper::isDead);
            Files.writeString(go, "");
            settle(fds, children);
        } finally {
            Files.writeString(go, "");
            pids.forEach(Helper::killPid);
        }
    }

    /**
     * {@link ChildProcess#close()} while the child runs closes only our ends of its pipes: the
     * child keeps running and its exit is still observed (as its javadoc says).
     */
    @Test
    void closeWithALiveChildLeavesItRunningAndItsExitIsStillObserved(@TempDir Path tmp) throws Exception {
        Path go = tmp.resolve("go");
        ChildProcess c = Command.of("sh", "-c", "while [ ! -e \"$1\" ]; do sleep 0.05; done; exit 7", "sh", go.toString())
                .stdin(Stdio.pipe()).stdout(Stdio.pipe()).stderr(Stdio.pipe()).spawn();
        try {
            c.close();
            c.close(); // idempotent
            assertThat(c.isAlive()).isTrue();
            assertThat(c.poll()).isEmpty();
            assertThat(Helper.processState(c.pid())).isNotIn((char) 0, 'Z', 'X');
            Files.writeString(go, "");
            assertThat(c.onExit().get(1, TimeUnit.MINUTES)).isEqualTo(ExitStatus.exited(7));
            assertThat(c.waitFor()).isEqualTo(ExitStatus.exited(7));
            assertThat(Helper.eventually(Duration.ofSeconds(20), () -> Helper.processState(c.pid()) == 0)).isTrue();
        } finally {
            c.kill();
        }
    }
}
