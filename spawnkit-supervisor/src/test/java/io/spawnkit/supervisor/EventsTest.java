package io.spawnkit.supervisor;

import static io.spawnkit.supervisor.Scripts.helper;
import static io.spawnkit.supervisor.Scripts.recorded;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Where events are delivered, and that a failing listener harms nobody else. */
class EventsTest {
    @RegisterExtension
    final Cleanup cleanup = new Cleanup();

    @Test
    void eventsAndLinesComeOnTheSupervisorsOwnDaemonThread() throws Exception {
        Set<String> threads = ConcurrentHashMap.newKeySet();
        Set<Boolean> daemon = ConcurrentHashMap.newKeySet();
        Recorder rec = new Recorder();
        Supervisor s = cleanup.start(recorded(rec)
                .listener(e -> {
                    threads.add(Thread.currentThread().getName());
                    daemon.add(Thread.currentThread().isDaemon());
                })
                .lineListener((h, stream, line) -> threads.add(Thread.currentThread().getName()))
                .helper(helper("where", "echo here")));
        assertThat(s.exitCode().get(60, TimeUnit.SECONDS)).isZero();
        assertThat(threads).containsExactly("spawnkit-supervisor");
        assertThat(daemon).containsExactly(true);
    }

    @Test
    void eventsAreLoggedOnTheSupervisorsLoggerOnlyWhenLinesAre() throws Exception {
        Supervisor s = cleanup.start(Supervisor.builder()
                .helper(HelperSpec.of("logged", io.spawnkit.Command.of("/nonexistent/spawnkit-missing"))));
        assertThat(s.exitCode().get(60, TimeUnit.SECONDS)).isEqualTo(127);
        List<CapturingLogs.Record> mine = CapturingLogs.of(Supervisor.class.getName()).stream()
                .filter(r -> "logged".equals(r.mdcHelper())).toList();
        assertThat(mine).extracting(CapturingLogs.Record::level, r -> r.message().startsWith("logged: "))
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple(org.slf4j.event.Level.WARN, true),
                        org.assertj.core.groups.Tuple.tuple(org.slf4j.event.Level.INFO, true));
        assertThat(mine.get(0).message()).contains("could not be started", "spawnkit-missing");

        Supervisor quiet = cleanup.start(Supervisor.builder().logLines(false).helper(helper("unlogged", "true")));
        assertThat(quiet.exitCode().get(60, TimeUnit.SECONDS)).isZero();
        assertThat(CapturingLogs.of(Supervisor.class.getName())).noneMatch(r -> "unlogged".equals(r.mdcHelper()));
    }

    @Test
    void aBlockedLineListenerHoldsTheHelperBackButNotTheEventLoop() throws Exception {
        java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
        java.util.concurrent.CountDownLatch blocked = new java.util.concurrent.CountDownLatch(1);
        java.util.concurrent.atomic.AtomicInteger count = new java.util.concurrent.atomic.AtomicInteger();
        Recorder rec = new Recorder();
        Supervisor s = cleanup.start(recorded(rec).logLines(false)
                .lineListener((h, stream, line) -> {
                    count.incrementAndGet();
                    blocked.countDown();
                    try {
                        release.await();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                })
                .helper(helper("chatty", "seq 1 1000000")));
        try {
            assertThat(blocked.await(60, TimeUnit.SECONDS)).isTrue();
            long pid = s.pid("chatty").orElseThrow();
            cleanup.trackGroup(pid);
            // the supervisor's thread is stuck in our listener; the core's loop still serves other children
            io.spawnkit.Output out = io.spawnkit.Command.of("sh", "-c", "echo independent").output();
            assertThat(out.stdoutText()).isEqualTo("independent\n");
            // and the helper, about 6.9 MB of lines from its end, waits in write() meanwhile
            assertThat(ProcessHandle.of(pid).orElseThrow().onExit())
                    .failsWithin(java.time.Duration.ofMillis(300))
                    .withThrowableOfType(java.util.concurrent.TimeoutException.class);
        } finally {
            release.countDown();
        }
        assertThat(s.exitCode().get(120, TimeUnit.SECONDS)).isZero();
        assertThat(count).hasValue(1_000_000);
    }

    @Test
    void aListenerThatThrowsStopsNeitherTheOtherListenersNorTheHelpers() throws Exception {
        Recorder rec = new Recorder();
        Supervisor s = cleanup.start(Supervisor.builder()
                .listener(e -> {
                    throw new IllegalStateException("listener bug");
                })
                .lineListener((h, stream, line) -> {
                    throw new IllegalStateException("line listener bug");
                })
                .listener(rec).lineListener(rec)
                .helper(helper("robust", "echo one; echo two")));
        assertThat(s.exitCode().get(60, TimeUnit.SECONDS)).isZero();
        assertThat(rec.lines("robust", LineListener.Stream.STDOUT)).containsExactly("one", "two");
        assertThat(rec.kinds("robust")).containsExactly("Started", "Ready", "Exited", "Stopped");
    }

    @Test
    void pidIsTheRunningLeadersAndEmptyOnceItEnded() throws Exception {
        Recorder rec = new Recorder();
        Supervisor s = cleanup.start(recorded(rec).helper(helper("sleeper", "exec sleep 1000")));
        long pid = rec.awaitEvent("sleeper", SupervisorEvent.Started.class).pid();
        cleanup.trackGroup(pid);
        assertThat(s.pid("sleeper")).contains(pid);
        assertThat(s.helperNames()).isEqualTo(List.of("sleeper"));
        s.stop().get(60, TimeUnit.SECONDS);
        assertThat(s.pid("sleeper")).isEmpty();
    }

    @Test
    void theHelperLeadsAGroupButTheCommandGivenIsNotChanged() throws Exception {
        // prints the shell's process group, then its pid
        io.spawnkit.Command c = Scripts.sh("cut -d' ' -f5 /proc/$$/stat; echo $$");
        Recorder rec = new Recorder();
        Supervisor s = cleanup.start(recorded(rec).logLines(false).helper(HelperSpec.of("mine", c)));
        assertThat(s.exitCode().get(60, TimeUnit.SECONDS)).isZero();
        List<String> inSupervisor = rec.lines("mine", LineListener.Stream.STDOUT);
        assertThat(inSupervisor.get(0)).as("leads its own group").isEqualTo(inSupervisor.get(1));

        String[] direct = c.output().stdoutText().split("\n");
        assertThat(direct[0]).as("the command itself still starts in our group").isNotEqualTo(direct[1]);
    }
}
