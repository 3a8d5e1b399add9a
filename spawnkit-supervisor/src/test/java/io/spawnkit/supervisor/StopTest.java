package io.spawnkit.supervisor;

import static io.spawnkit.supervisor.Scripts.helper;
import static io.spawnkit.supervisor.Scripts.recorded;
import static org.assertj.core.api.Assertions.assertThat;

import io.spawnkit.ExitStatus;
import io.spawnkit.Signal;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Whole-group stops: grace then SIGKILL, leftovers of a leader, reverse dependency order, at once, kill. */
class StopTest {
    @RegisterExtension
    final Cleanup cleanup = new Cleanup();

    /** Prints "grandchild PID" and "ready", then waits; the shell and its sleep both ignore SIGTERM. */
    private static final String STUBBORN =
            "trap '' TERM; sleep 1000 & echo \"grandchild $!\"; echo ready; wait; wait; wait";

    private static long grandchild(Recorder rec, String helper) throws InterruptedException {
        Recorder.Line l = (Recorder.Line) rec.await(o -> o instanceof Recorder.Line line && line.helper().equals(helper)
                && line.text().startsWith("grandchild "));
        return Long.parseLong(l.text().substring("grandchild ".length()));
    }

    @Test
    void aHelperThatIgnoresTheStopSignalIsKilledWithItsGrandchildAfterTheGrace() throws Exception {
        Recorder rec = new Recorder();
        Supervisor s = cleanup.start(recorded(rec).helper(helper("stubborn", STUBBORN)
                .withReadiness(Readiness.line("^ready$"))
                .withStop(Signal.TERM, Duration.ofMillis(300))));
        rec.awaitEvent("stubborn", SupervisorEvent.Ready.class);
        long pgid = s.pid("stubborn").orElseThrow();
        cleanup.trackGroup(pgid);
        long grandchild = grandchild(rec, "stubborn");
        cleanup.trackPid(grandchild);
        assertThat(Cleanup.liveMembers(pgid)).contains(pgid, grandchild);

        s.stop().get(60, TimeUnit.SECONDS);

        assertThat(rec.kinds("stubborn")).containsExactly("Started", "Ready", "Exited", "Stopped");
        assertThat(rec.awaitEvent("stubborn", SupervisorEvent.Exited.class).status())
                .isEqualTo(new ExitStatus.Signaled(Signal.KILL, false));
        assertThat(Cleanup.liveMembers(pgid)).as("no process of the group is left").isEmpty();
        assertThat(Cleanup.isDead(grandchild)).isTrue();
        assertThat(s.exitCode().get(60, TimeUnit.SECONDS)).isEqualTo(128 + 9);
        assertThat(s.pid("stubborn")).isEmpty();
    }

    @Test
    void whatALeaderLeavesInItsGroupIsStoppedBeforeTheHelperIsStopped() throws Exception {
        Recorder rec = new Recorder();
        Supervisor s = cleanup.start(recorded(rec).helper(helper("leaver",
                "sleep 1000 & echo \"grandchild $!\"; exit 0").withStop(Signal.TERM, Duration.ofSeconds(30))));
        long grandchild = grandchild(rec, "leaver");
        cleanup.trackPid(grandchild);
        long pgid = rec.awaitEvent("leaver", SupervisorEvent.Started.class).pid();
        cleanup.trackGroup(pgid);

        assertThat(s.exitCode().get(60, TimeUnit.SECONDS)).isZero();
        assertThat(rec.kinds("leaver")).containsExactly("Started", "Ready", "Exited", "Stopped");
        assertThat(Cleanup.isDead(grandchild)).as("the grandchild got the stop signal").isTrue();
        assertThat(Cleanup.liveMembers(pgid)).isEmpty();
    }

    @Test
    @Tag("portable")
    void aStopReachesTheGrandchildOnEveryBackend() throws Exception {
        // on the JDK fallback there is no process group: the grandchild is found as a descendant
        Recorder rec = new Recorder();
        Supervisor s = cleanup.start(recorded(rec).helper(helper("parent",
                "sleep 1000 & echo \"grandchild $!\"; echo ready; wait").withReadiness(Readiness.line("^ready$"))));
        rec.awaitEvent("parent", SupervisorEvent.Ready.class);
        long grandchild = grandchild(rec, "parent");
        cleanup.trackPid(grandchild);
        cleanup.trackGroup(s.pid("parent").orElseThrow());
        assertThat(Cleanup.isDead(grandchild)).isFalse();

        s.stop().get(60, TimeUnit.SECONDS);

        assertThat(Cleanup.isDead(grandchild)).as("the grandchild was stopped too").isTrue();
        assertThat(rec.kinds("parent")).containsExactly("Started", "Ready", "Exited", "Stopped");
    }

    @Test
    void theStopSignalIsTheOneTheHelperAsksFor() throws Exception {
        Recorder rec = new Recorder();
        Supervisor s = cleanup.start(recorded(rec).helper(helper("interruptible",
                "trap 'echo got-int; exit 0' INT; trap '' TERM; echo ready; while :; do sleep 0.05; done")
                .withReadiness(Readiness.line("^ready$")).withStop(Signal.INT, Duration.ofMinutes(10))));
        rec.awaitEvent("interruptible", SupervisorEvent.Ready.class);
        cleanup.trackGroup(s.pid("interruptible").orElseThrow());
        s.stop().get(60, TimeUnit.SECONDS);
        assertThat(rec.lines("interruptible", LineListener.Stream.STDOUT)).containsExactly("ready", "got-int");
        assertThat(rec.awaitEvent("interruptible", SupervisorEvent.Exited.class).status()).isEqualTo(new ExitStatus.Exited(0));
        assertThat(s.exitCode().get(60, TimeUnit.SECONDS)).isZero();
    }

    @Test
    void stopRunsInReverseDependencyOrder() throws Exception {
        Recorder rec = new Recorder();
        Supervisor s = cleanup.start(recorded(rec)
                .helper(helper("db", "exec sleep 1000"))
                .helper(helper("web", "exec sleep 1000").dependingOn("db", DependsOn.Condition.STARTED))
                .helper(helper("worker", "exec sleep 1000").dependingOn("web", DependsOn.Condition.STARTED)));
        rec.awaitEvent("worker", SupervisorEvent.Started.class);

        s.stop().get(60, TimeUnit.SECONDS);

        int workerStopped = rec.indexOfEvent("worker", SupervisorEvent.Stopped.class);
        int webExited = rec.indexOfEvent("web", SupervisorEvent.Exited.class);
        int webStopped = rec.indexOfEvent("web", SupervisorEvent.Stopped.class);
        int dbExited = rec.indexOfEvent("db", SupervisorEvent.Exited.class);
        assertThat(workerStopped).isLessThan(webExited);
        assertThat(webStopped).isLessThan(dbExited);
        for (String h : List.of("db", "web", "worker")) {
            assertThat(rec.awaitEvent(h, SupervisorEvent.Exited.class).status())
                    .isEqualTo(new ExitStatus.Signaled(Signal.TERM, false));
        }
        assertThat(s.exitCode().get(60, TimeUnit.SECONDS)).isEqualTo(128 + 15);
    }

    @Test
    void stopAllAtOnceSignalsEveryGroupWithoutWaitingForDependents() throws Exception {
        Recorder rec = new Recorder();
        Supervisor s = cleanup.start(recorded(rec)
                .helper(helper("base", "trap 'echo got-term; exit 0' TERM; echo up; while :; do sleep 0.05; done")
                        .withReadiness(Readiness.line("up")))
                .helper(helper("top", STUBBORN).dependingOn("base", DependsOn.Condition.READY)
                        .withReadiness(Readiness.line("^ready$")).withStop(Signal.TERM, Duration.ofMinutes(10))));
        rec.awaitEvent("top", SupervisorEvent.Ready.class);
        cleanup.trackGroup(s.pid("top").orElseThrow());
        cleanup.trackPid(grandchild(rec, "top"));

        s.stopAllAtOnce();
        // base stops although top, which depends on it, ignores its signal and has minutes of grace
        rec.awaitEvent("base", SupervisorEvent.Stopped.class);
        assertThat(rec.lines("base", LineListener.Stream.STDOUT)).contains("got-term");
        assertThat(rec.indexOfEvent("top", SupervisorEvent.Exited.class)).isNegative();

        s.kill().get(60, TimeUnit.SECONDS);
        assertThat(rec.awaitEvent("top", SupervisorEvent.Exited.class).status())
                .isEqualTo(new ExitStatus.Signaled(Signal.KILL, false));
    }

    @Test
    @Tag("portable")
    void killEndsAHelperThatIgnoresTheStopSignalAtOnce() throws Exception {
        Recorder rec = new Recorder();
        Supervisor s = cleanup.start(recorded(rec).helper(helper("deaf", "trap '' TERM; echo ready; while :; do sleep 0.05; done")
                .withReadiness(Readiness.line("ready")).withStop(Signal.TERM, Duration.ofMinutes(10))));
        rec.awaitEvent("deaf", SupervisorEvent.Ready.class);
        s.kill().get(60, TimeUnit.SECONDS);
        assertThat(rec.awaitEvent("deaf", SupervisorEvent.Exited.class).status())
                .isEqualTo(new ExitStatus.Signaled(Signal.KILL, false));
        assertThat(rec.kinds("deaf")).endsWith("Exited", "Stopped");
    }

    @Test
    void stopBeforeStartStartsNothing() throws Exception {
        Recorder rec = new Recorder();
        Supervisor s = recorded(rec).helper(helper("never", "echo should-not-run")).build();
        s.stop().get(60, TimeUnit.SECONDS);
        s.start();
        assertThat(s.exitCode().get(60, TimeUnit.SECONDS)).isZero();
        assertThat(rec.kinds("never")).containsExactly("Stopped");
    }
}
