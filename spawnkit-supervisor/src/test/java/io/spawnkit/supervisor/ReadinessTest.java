package io.spawnkit.supervisor;

import static io.spawnkit.supervisor.Scripts.helper;
import static io.spawnkit.supervisor.Scripts.recorded;
import static org.assertj.core.api.Assertions.assertThat;

import io.spawnkit.Command;
import io.spawnkit.ExitStatus;
import io.spawnkit.Signal;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Readiness checks and the start order they give dependents. */
class ReadinessTest {
    @RegisterExtension
    final Cleanup cleanup = new Cleanup();

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    @Test
    void aLineReadinessHoldsBackTheDependentUntilTheLineComes() throws Exception {
        Recorder rec = new Recorder();
        Supervisor s = cleanup.start(recorded(rec)
                .helper(helper("api", "echo booting; sleep 0.2; echo 'listening on 8080' >&2; exec sleep 1000")
                        .withReadiness(Readiness.line("listening on \\d+")))
                .helper(helper("client", "echo client up; exec sleep 1000").dependingOn("api", DependsOn.Condition.READY)));
        rec.awaitEvent("client", SupervisorEvent.Started.class);
        int started = rec.indexOfEvent("client", SupervisorEvent.Started.class);
        assertThat(rec.indexOfLine("api", "listening on 8080")).isNotNegative().isLessThan(started);
        assertThat(rec.indexOfEvent("api", SupervisorEvent.Ready.class)).isNotNegative().isLessThan(started);
        s.stop().get(60, TimeUnit.SECONDS);
    }

    @Test
    void aPortReadinessHoldsBackTheDependentUntilThePortAccepts() throws Exception {
        int port = freePort();
        String server = """
                import socket, sys, time
                time.sleep(0.3)
                s = socket.socket()
                s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
                s.bind(('127.0.0.1', int(sys.argv[1])))
                s.listen(16)
                print('bound', flush=True)
                while True:
                    c, _ = s.accept()
                    c.close()
                """;
        Recorder rec = new Recorder();
        Supervisor s = cleanup.start(recorded(rec)
                .helper(HelperSpec.of("server", Command.of("python3", "-c", server, Integer.toString(port)))
                        .withReadiness(new Readiness.Port("127.0.0.1", port, Duration.ofMillis(20), Duration.ofMinutes(1))))
                .helper(helper("user", "exec sleep 1000").dependingOn("server", DependsOn.Condition.READY)));
        rec.awaitEvent("user", SupervisorEvent.Started.class);
        assertThat(rec.indexOfEvent("server", SupervisorEvent.Ready.class))
                .isNotNegative().isLessThan(rec.indexOfEvent("user", SupervisorEvent.Started.class));
        try (Socket c = new Socket()) {
            c.connect(new InetSocketAddress("127.0.0.1", port), 10_000); // it does accept
        }
        s.stop().get(60, TimeUnit.SECONDS);
    }

    @Test
    void anHttpReadinessPassesOnA2xx() throws Exception {
        int port = freePort();
        Recorder rec = new Recorder();
        Supervisor s = cleanup.start(recorded(rec).logLines(false).helper(
                HelperSpec.of("http", Command.of("python3", "-m", "http.server", Integer.toString(port), "--bind", "127.0.0.1"))
                        .withReadiness(new Readiness.Http(java.net.URI.create("http://127.0.0.1:" + port + "/"),
                                Duration.ofMillis(50), Duration.ofMinutes(1)))));
        rec.awaitEvent("http", SupervisorEvent.Ready.class);
        s.stop().get(60, TimeUnit.SECONDS);
        assertThat(rec.kinds("http")).containsExactly("Started", "Ready", "Exited", "Stopped");
    }

    @Test
    void aDelayReadinessPassesWhileTheHelperRuns() throws Exception {
        Recorder rec = new Recorder();
        Supervisor s = cleanup.start(recorded(rec)
                .helper(helper("slow", "exec sleep 1000").withReadiness(Readiness.delay(Duration.ofMillis(50))))
                .helper(helper("after", "echo after").dependingOn("slow", DependsOn.Condition.READY)));
        rec.awaitLine("after", "after");
        assertThat(rec.indexOfEvent("slow", SupervisorEvent.Ready.class))
                .isLessThan(rec.indexOfEvent("after", SupervisorEvent.Started.class));
        s.stop().get(60, TimeUnit.SECONDS);
    }

    @Test
    void aReadinessTimeoutStopsTheHelperForGoodAndFailsItsDependents() throws Exception {
        Recorder rec = new Recorder();
        Supervisor s = cleanup.start(recorded(rec)
                .helper(helper("mute", "exec sleep 1000")
                        .withReadiness(new Readiness.Line(Pattern.compile("never"), Duration.ofMillis(200)))
                        .withRestart(RestartPolicy.always()))
                .helper(helper("needy", "echo should-not-run").dependingOn("mute", DependsOn.Condition.READY)));
        assertThat(s.exitCode().get(60, TimeUnit.SECONDS)).isEqualTo(128 + 15);
        assertThat(rec.kinds("mute")).containsExactly("Started", "NotReady", "Exited", "Stopped");
        assertThat(rec.awaitEvent("mute", SupervisorEvent.Exited.class).status())
                .isEqualTo(new ExitStatus.Signaled(Signal.TERM, false));
        assertThat(rec.kinds("needy")).containsExactly("GaveUp", "Stopped");
        assertThat(rec.awaitEvent("needy", SupervisorEvent.GaveUp.class).reason()).contains("mute");
    }

    @Test
    void completedSuccessfullyWaitsForTheEndOfTheDependency() throws Exception {
        Recorder rec = new Recorder();
        Supervisor s = cleanup.start(recorded(rec)
                .helper(helper("migrate", "echo migrating; exit 0"))
                .helper(helper("app", "echo app").dependingOn("migrate", DependsOn.Condition.COMPLETED_SUCCESSFULLY)));
        assertThat(s.exitCode().get(60, TimeUnit.SECONDS)).isZero();
        assertThat(rec.indexOfEvent("migrate", SupervisorEvent.Exited.class))
                .isLessThan(rec.indexOfEvent("app", SupervisorEvent.Started.class));
        assertThat(rec.lines("app", LineListener.Stream.STDOUT)).containsExactly("app");
    }

    @Test
    void aDependencyThatFailedIsNeverSatisfiedAndItsDependentCountsAsFailed() throws Exception {
        Recorder rec = new Recorder();
        Supervisor s = cleanup.start(recorded(rec).exitPolicy(ExitPolicy.keepRunning().withSuccess(ExitPolicy.Success.LAST))
                .helper(helper("migrate", "exit 2"))
                .helper(helper("app", "echo app").dependingOn("migrate", DependsOn.Condition.COMPLETED_SUCCESSFULLY)));
        assertThat(s.exitCode().get(60, TimeUnit.SECONDS)).isEqualTo(1);
        assertThat(rec.kinds("app")).containsExactly("GaveUp", "Stopped");
    }
}
