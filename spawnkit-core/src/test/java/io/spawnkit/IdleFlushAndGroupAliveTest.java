package io.spawnkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@link ReadEnd#onLine(java.util.function.Consumer, Duration)}: a prompt without a newline shows
 * after a pause, lines stay whole; {@link ChildProcess#groupAlive()}: a group is alive while a
 * grandchild outlives its leader, and not once it is killed, even where PID 1 leaves its zombie.
 */
class IdleFlushAndGroupAliveTest {
    @RegisterExtension
    final Reaper reaper = new Reaper();

    @Test
    @Tag("portable")
    void aPromptWithoutNewlineIsShownAfterTheIdlePause() throws Exception {
        // the shell waits for our answer, which we give only once the prompt has been delivered:
        // no sleep, no race
        ChildProcess c = reaper.spawn(Command.of("sh", "-c", "printf 'Password: '; read x; echo \"got $x\"; printf tail")
                .stdin(Stdio.pipe()).stdout(Stdio.pipe()));
        BlockingQueue<String> lines = new LinkedBlockingQueue<>();
        c.stdout().onLine(lines::add, Duration.ofMillis(50));
        assertThat(lines.poll(60, TimeUnit.SECONDS)).isEqualTo("Password: ");
        c.stdin().write(java.nio.ByteBuffer.wrap("secret\n".getBytes(StandardCharsets.UTF_8)))
                .get(60, TimeUnit.SECONDS);
        assertThat(lines.poll(60, TimeUnit.SECONDS)).isEqualTo("got secret");
        assertThat(lines.poll(60, TimeUnit.SECONDS)).as("the last line, without newline").isEqualTo("tail");
        c.stdout().done().get(60, TimeUnit.SECONDS);
        assertThat(lines).isEmpty();
        assertThat(c.waitFor().isSuccess()).isTrue();
    }

    @Test
    @Tag("portable")
    void piecesOfALineWithinTheIdlePauseAreJoined() throws Exception {
        ChildProcess c = reaper.spawn(Command.of("sh", "-c",
                "printf 'one '; sleep 0.2; printf 'two\\nthree'; sleep 0.2; printf ' four\\n'").stdout(Stdio.pipe()));
        List<String> lines = new CopyOnWriteArrayList<>();
        c.stdout().onLine(lines::add, Duration.ofHours(1));
        c.stdout().done().get(60, TimeUnit.SECONDS);
        assertThat(lines).containsExactly("one two", "three four");
    }

    @Test
    @Tag("portable")
    void onAnExecutorThePromptAndTheLinesComeThereInOrder() throws Exception {
        java.util.concurrent.ExecutorService single = java.util.concurrent.Executors.newSingleThreadExecutor(
                r -> new Thread(r, "lines-consumer"));
        try {
            ChildProcess c = reaper.spawn(Command.of("sh", "-c", "printf 'Password: '; read x; echo \"got $x\"; printf tail")
                    .stdin(Stdio.pipe()).stdout(Stdio.pipe()));
            BlockingQueue<String> lines = new LinkedBlockingQueue<>();
            c.stdout().onLine(l -> lines.add(Thread.currentThread().getName() + ": " + l), Duration.ofMillis(50), single);
            assertThat(lines.poll(60, TimeUnit.SECONDS)).isEqualTo("lines-consumer: Password: ");
            c.stdin().write(java.nio.ByteBuffer.wrap("secret\n".getBytes(StandardCharsets.UTF_8))).get(60, TimeUnit.SECONDS);
            assertThat(lines.poll(60, TimeUnit.SECONDS)).isEqualTo("lines-consumer: got secret");
            assertThat(lines.poll(60, TimeUnit.SECONDS)).isEqualTo("lines-consumer: tail");
            c.stdout().done().get(60, TimeUnit.SECONDS);
            assertThat(lines).isEmpty();
        } finally {
            single.shutdownNow();
        }
    }

    @Test
    @Tag("portable")
    void onAnExecutorASlowConsumerHoldsTheWriterBackAndLosesNothing() throws Exception {
        java.util.concurrent.ExecutorService single = java.util.concurrent.Executors.newSingleThreadExecutor();
        java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
        try {
            ChildProcess c = reaper.spawn(Command.of("seq", "1", "1000000").stdout(Stdio.pipe()));
            List<String> lines = new java.util.ArrayList<>();
            c.stdout().onLine(l -> {
                try {
                    release.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                lines.add(l);
            }, Duration.ofHours(1), single);
            // about 6.9 MB of lines: far more than a pipe and one chunk hold, so the writer must wait
            assertThat(c.waitFor(Duration.ofMillis(300))).as("seq waits while we do not read").isEmpty();
            release.countDown();
            c.stdout().done().get(120, TimeUnit.SECONDS);
            assertThat(c.waitFor().isSuccess()).isTrue();
            assertThat(lines).hasSize(1_000_000);
            assertThat(lines.get(0)).isEqualTo("1");
            assertThat(lines.get(999_999)).isEqualTo("1000000");
            for (int i = 0; i < lines.size(); i += 99_991) {
                assertThat(lines.get(i)).isEqualTo(Integer.toString(i + 1));
            }
        } finally {
            release.countDown();
            single.shutdownNow();
        }
    }

    @Test
    void aNegativeIdlePauseIsRefused() {
        ChildProcess c = reaper.spawn(Command.of("true").stdout(Stdio.pipe()));
        assertThatThrownBy(() -> c.stdout().onLine(l -> { }, Duration.ofMillis(-1)))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void theGroupIsAliveWhileAGrandchildOutlivesItsLeaderAndNotOnceItIsKilled() throws Exception {
        ChildProcess c = reaper.spawn(Command.of("sh", "-c", "sleep 60 >/dev/null & echo $!")
                .newProcessGroup().stdout(Stdio.pipe()));
        long grandchild = Long.parseLong(c.stdout().readAllText().get(60, TimeUnit.SECONDS).strip());
        reaper.trackPid(grandchild);
        assertThat(c.waitFor().isSuccess()).isTrue();
        assertThat(c.groupAlive()).as("the grandchild is still in the group").isTrue();
        assertThat(c.killGroup(Signal.KILL)).isTrue();
        // where PID 1 does not reap orphans, the grandchild stays a zombie in the group: still dead
        assertThat(Helper.eventually(Duration.ofSeconds(60), () -> !c.groupAlive())).isTrue();
    }

    @Test
    void theGroupOfARunningLeaderIsAlive() throws Exception {
        ChildProcess c = reaper.spawn(Command.of("sleep", "60").newProcessGroup());
        assertThat(c.groupAlive()).isTrue();
        c.killTree();
        c.waitFor();
        assertThat(Helper.eventually(Duration.ofSeconds(60), () -> !c.groupAlive())).isTrue();
    }

    @Test
    void aChildWithoutAGroupOfItsOwnHasNoGroupToAskAbout() throws Exception {
        ChildProcess c = reaper.spawn(Command.of("sleep", "60"));
        assertThatThrownBy(c::groupAlive).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("newProcessGroup");
    }
}
