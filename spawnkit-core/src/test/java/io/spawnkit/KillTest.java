package io.spawnkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Stopping children: after exit nothing is sent; terminate escalates; trees and timeouts. */
class KillTest {
    @RegisterExtension
    final Reaper reaper = new Reaper();

    @Test
    @Tag("portable")
    void killAfterExitReturnsFalse() throws Exception {
        ChildProcess c = reaper.spawn(Command.of("true"));
        assertThat(c.waitFor().isSuccess()).isTrue();
        assertThat(c.kill()).isFalse();
        assertThat(c.kill(Signal.TERM)).isFalse();
        assertThat(c.killTree()).isFalse();
        assertThat(c.terminate(Duration.ofSeconds(1)).get(10, TimeUnit.SECONDS)).isEqualTo(ExitStatus.exited(0));
        assertThat(c.waitFor()).isEqualTo(ExitStatus.exited(0));
    }

    /**
     * The window between the child's exit and its reaping: it is a zombie, its pid still ours, and
     * the event loop (or a waiter) is about to reap it. Killer threads race the reap, again and
     * again, for 300 children that end at once: no exception, and once the status is known, no
     * signal is sent (after the reap the pid may belong to someone else).
     */
    @Test
    @Tag("portable")
    void killRacingTheReapOfAnExitedChildIsHarmless() throws Exception {
        java.util.concurrent.ExecutorService killers = java.util.concurrent.Executors.newFixedThreadPool(2);
        try {
            for (int i = 0; i < 300; i++) {
                ChildProcess c = reaper.spawn(Command.of("true"));
                boolean term = i % 2 == 0;
                java.util.concurrent.Callable<Boolean> killUntilReaped = () -> {
                    boolean everSent = false;
                    while (true) {
                        boolean done = c.poll().isPresent(); // read before the kill: reaped by then
                        boolean sent = term ? c.kill(Signal.TERM) : c.kill();
                        if (done) {
                            assertThat(sent).as("a signal sent after the status was known").isFalse();
                            return everSent;
                        }
                        everSent |= sent;
                    }
                };
                java.util.concurrent.Future<Boolean> k1 = killers.submit(killUntilReaped);
                java.util.concurrent.Future<Boolean> k2 = killers.submit(killUntilReaped);
                ExitStatus s = c.waitFor();
                boolean sent = k1.get(1, TimeUnit.MINUTES) | k2.get(1, TimeUnit.MINUTES);
                if (sent) {
                    // a signal that reached it alive or as a zombie
                    assertThat(s).isIn(ExitStatus.exited(0), ExitStatus.signaled(Signal.TERM, false),
                            ExitStatus.signaled(Signal.KILL, false));
                } else {
                    assertThat(s).isEqualTo(ExitStatus.exited(0));
                }
                assertThat(c.kill()).isFalse();
                assertThat(c.killTree()).isFalse();
                assertThat(c.terminate(Duration.ofSeconds(1)).get(10, TimeUnit.SECONDS)).isEqualTo(s);
            }
        } finally {
            killers.shutdownNow();
        }
        assertThat(Helper.zombieChildren()).isEmpty();
    }

    @Test
    @Tag("portable")
    void terminateEndsAPoliteChildWithTerm() throws Exception {
        ChildProcess c = reaper.spawn(Command.of("sleep", "30"));
        ExitStatus s = c.terminate(Duration.ofSeconds(60)).get(60, TimeUnit.SECONDS);
        assertThat(s.terminatingSignal()).contains(Signal.TERM);
    }

    @Test
    @Tag("portable")
    void terminateKillsAChildThatIgnoresTermAfterTheGrace() throws Exception {
        ChildProcess c = reaper.spawn(Command.of("sh", "-c", "trap '' TERM; echo ready; exec sleep 30")
                .stdout(Stdio.pipe()));
        BufferedReader r = new BufferedReader(new InputStreamReader(c.stdout().inputStream(), StandardCharsets.UTF_8));
        assertThat(r.readLine()).isEqualTo("ready");
        ExitStatus s = c.terminate(Duration.ofMillis(300)).get(60, TimeUnit.SECONDS);
        assertThat(s).isEqualTo(ExitStatus.signaled(Signal.KILL, false));
    }

    @Test
    void terminateWithAnotherPoliteSignal() throws Exception {
        ChildProcess c = reaper.spawn(Command.of("sleep", "30"));
        assertThat(c.terminate(Signal.INT, Duration.ofSeconds(60)).get(60, TimeUnit.SECONDS).terminatingSignal())
                .contains(Signal.INT);
    }

    @Test
    void killTreeKillsAGrandchildInTheGroup() throws Exception {
        ChildProcess c = reaper.spawn(Command.of("sh", "-c", "sleep 60 & echo $!; wait").newProcessGroup()
                .stdout(Stdio.pipe()));
        BufferedReader r = new BufferedReader(new InputStreamReader(c.stdout().inputStream(), StandardCharsets.UTF_8));
        long grandchild = Long.parseLong(r.readLine());
        reaper.trackPid(grandchild);
        assertThat(c.killTree()).isTrue();
        assertThat(c.waitFor().terminatingSignal()).contains(Signal.KILL);
        assertThat(Helper.eventually(Duration.ofSeconds(30), () -> Helper.isDead(grandchild))).isTrue();
    }

    @Test
    void terminateOfAGroupReachesTheGrandchild() throws Exception {
        ChildProcess c = reaper.spawn(Command.of("sh", "-c", "sleep 60 & echo $!; wait").newProcessGroup()
                .stdout(Stdio.pipe()));
        BufferedReader r = new BufferedReader(new InputStreamReader(c.stdout().inputStream(), StandardCharsets.UTF_8));
        long grandchild = Long.parseLong(r.readLine());
        reaper.trackPid(grandchild);
        c.terminate(Duration.ofSeconds(60)).get(60, TimeUnit.SECONDS);
        assertThat(Helper.eventually(Duration.ofSeconds(30), () -> Helper.isDead(grandchild))).isTrue();
    }

    @Test
    void newSessionMakesTheChildASessionAndGroupLeader() throws Exception {
        ChildProcess c = reaper.spawn(Command.of("sleep", "30").newSession());
        String stat = java.nio.file.Files.readString(java.nio.file.Path.of("/proc/" + c.pid() + "/stat"));
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        // fields after the state: ppid, pgrp, session
        assertThat(Long.parseLong(f[2])).as("pgrp").isEqualTo(c.pid());
        assertThat(Long.parseLong(f[3])).as("session").isEqualTo(c.pid());
        assertThat(c.killTree()).isTrue();
        assertThat(c.waitFor().terminatingSignal()).contains(Signal.KILL);
    }

    @Test
    @Tag("portable")
    void timeoutKillsAndOutputThrowsWithThePartialOutput() {
        ProcessTimeoutException e = catchThrowableOfType(ProcessTimeoutException.class,
                () -> Command.of("sh", "-c", "echo partial; echo oops >&2; exec sleep 30")
                        .timeout(Duration.ofMillis(500)).output());
        assertThat(e.timeout()).isEqualTo(Duration.ofMillis(500));
        assertThat(e.partialOutput().stdoutText()).isEqualTo("partial\n");
        assertThat(e.partialOutput().stderrText()).isEqualTo("oops\n");
        assertThat(e.status().terminatingSignal()).contains(Signal.KILL);
        assertThat(e.stderrTail()).isEqualTo("oops\n");
        assertThat(e.getMessage()).contains("timed out");
    }

    @Test
    void timeoutKillsTheWholeGroupSoTheOutputEnds() {
        ProcessTimeoutException e = catchThrowableOfType(ProcessTimeoutException.class,
                () -> Command.of("sh", "-c", "echo partial; sleep 30; echo never").newProcessGroup()
                        .timeout(Duration.ofMillis(500)).output());
        assertThat(e.partialOutput().stdoutText()).isEqualTo("partial\n");
    }

    @Test
    @Tag("portable")
    void aChildFasterThanItsTimeoutIsNotKilled() throws Exception {
        ChildProcess c = reaper.spawn(Command.of("true").timeout(Duration.ofSeconds(60)));
        assertThat(c.waitFor().isSuccess()).isTrue();
        assertThat(c.timedOut()).isFalse();
        assertThat(Command.of("echo", "ok").timeout(Duration.ofSeconds(60)).output().stdoutText()).isEqualTo("ok\n");
    }

    @Test
    @Tag("portable")
    void spawnWithATimeoutMarksTheChild() throws Exception {
        ChildProcess c = reaper.spawn(Command.of("sleep", "30").timeout(Duration.ofMillis(200)));
        assertThat(c.waitFor().terminatingSignal()).contains(Signal.KILL);
        assertThat(c.timedOut()).isTrue();
    }
}
