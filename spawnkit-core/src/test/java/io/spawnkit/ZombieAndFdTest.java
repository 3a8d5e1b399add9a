package io.spawnkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

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
}
