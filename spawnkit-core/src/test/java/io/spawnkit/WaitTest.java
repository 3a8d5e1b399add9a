package io.spawnkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Waiting: from many threads, with timeouts, without waiting; output is kept whatever the waits did. */
@Tag("portable")
class WaitTest {
    @RegisterExtension
    final Reaper reaper = new Reaper();

    @Test
    void manyWaitersOnPlatformAndVirtualThreadsGetTheSameStatus() throws Exception {
        ChildProcess c = reaper.spawn(Command.of("sh", "-c", "read x; exit 42").stdin(Stdio.pipe()));
        ConcurrentLinkedQueue<Object> results = new ConcurrentLinkedQueue<>();
        CountDownLatch started = new CountDownLatch(116);
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < 116; i++) {
            Thread.Builder b = i < 16 ? Thread.ofPlatform() : Thread.ofVirtual();
            threads.add(b.start(() -> {
                started.countDown();
                try {
                    results.add(c.waitFor());
                } catch (Throwable t) {
                    results.add(t);
                }
            }));
        }
        assertThat(started.await(60, TimeUnit.SECONDS)).isTrue();
        c.stdin().write("go\n");
        for (Thread t : threads) {
            t.join(60_000);
        }
        assertThat(results).hasSize(116).allMatch(r -> r.equals(ExitStatus.exited(42)));
        assertThat(c.onExit().get()).isEqualTo(ExitStatus.exited(42));
        assertThat(c.waitFor()).isEqualTo(ExitStatus.exited(42));
    }

    @Test
    void zeroNegativeAndShortTimeoutsOnASleepingChildAreEmpty() throws Exception {
        ChildProcess c = reaper.spawn(Command.of("sleep", "30"));
        assertThat(c.waitFor(Duration.ZERO)).isEmpty();
        assertThat(c.waitFor(Duration.ofMillis(-5))).isEmpty();
        assertThat(c.waitFor(Duration.ofMillis(1))).isEmpty();
        assertThat(c.poll()).isEmpty();
        assertThat(c.isAlive()).isTrue();
        assertThat(c.onExit()).isNotDone();
        c.kill();
        assertThat(c.waitFor(Duration.ofSeconds(60))).isPresent();
        assertThat(c.poll()).isPresent();
        assertThat(c.waitFor(Duration.ZERO)).isPresent();
        assertThat(c.isAlive()).isFalse();
    }

    @Test
    void readingAfterATimeoutStillGetsAllTheOutput() throws Exception {
        ChildProcess c = reaper.spawn(Command.of("sh", "-c", "echo first; read x; echo second").stdin(Stdio.pipe())
                .stdout(Stdio.pipe()));
        assertThat(c.waitFor(Duration.ofMillis(50))).isEmpty();
        c.stdin().write("go\n");
        assertThat(c.waitFor(Duration.ofSeconds(60))).contains(ExitStatus.exited(0));
        // nobody read while the child ran: the pipe still holds everything
        assertThat(c.stdout().readAllText().get(60, TimeUnit.SECONDS)).isEqualTo("first\nsecond\n");
    }

    @Test
    void onExitCopiesAreIndependent() throws Exception {
        ChildProcess c = reaper.spawn(Command.of("sh", "-c", "exit 3"));
        CompletableFuture<ExitStatus> a = c.onExit();
        a.cancel(true); // a caller's cancel must not disturb anyone else
        assertThat(c.onExit().get(60, TimeUnit.SECONDS)).isEqualTo(ExitStatus.exited(3));
        assertThat(c.waitFor()).isEqualTo(ExitStatus.exited(3));
    }

    @Test
    void anInterruptedWaitThrowsAndTheChildStillEnds() throws Exception {
        ChildProcess c = reaper.spawn(Command.of("sleep", "30"));
        Thread.currentThread().interrupt();
        try {
            c.waitFor();
            throw new AssertionError("waitFor did not see the interrupt");
        } catch (InterruptedException expected) {
            assertThat(Thread.currentThread().isInterrupted()).isFalse();
        }
        assertThat(c.isAlive()).isTrue();
        c.kill();
        assertThat(c.waitFor().terminatingSignal()).contains(Signal.KILL);
    }

    @Test
    void statusRunsToTheEnd() {
        assertThat(Command.of("sh", "-c", "exit 9").status()).isEqualTo(ExitStatus.exited(9));
    }

    @Test
    void pidIsTheChildsAndCommandIsItsArgv() throws Exception {
        ChildProcess c = reaper.spawn(Command.of("sh", "-c", "echo $$").stdout(Stdio.pipe()));
        assertThat(c.stdout().readAllText().get(60, TimeUnit.SECONDS).strip()).isEqualTo(Long.toString(c.pid()));
        assertThat(c.command()).containsExactly("sh", "-c", "echo $$");
        assertThat(c.toString()).contains(Long.toString(c.pid()));
    }

    /**
     * status() waits on its own thread without the event loop; interrupted, it kills the child and
     * hands it to the loop, which still reaps it.
     */
    @Test
    void anInterruptedStatusKillsTheChildAndItIsStillReaped() throws Exception {
        java.util.Set<Long> before = new java.util.HashSet<>(Helper.childPids());
        ConcurrentLinkedQueue<Object> outcome = new ConcurrentLinkedQueue<>();
        Thread t = Thread.ofPlatform().start(() -> {
            try {
                outcome.add(Command.of("sleep", "30").status());
            } catch (Throwable e) {
                outcome.add(e);
            }
        });
        assertThat(Helper.eventually(Duration.ofSeconds(30), () -> !before.containsAll(Helper.childPids())))
                .as("the sleep started").isTrue();
        t.interrupt();
        t.join(30_000);
        assertThat(outcome).singleElement().isInstanceOf(IllegalStateException.class);
        assertThat(Thread.interrupted()).isFalse();
        assertThat(Helper.eventually(Duration.ofSeconds(30), () -> before.containsAll(Helper.childPids())))
                .as("killed and reaped: children now %s (zombies %s)", Helper.childPids(), Helper.zombieChildren())
                .isTrue();
    }
}
