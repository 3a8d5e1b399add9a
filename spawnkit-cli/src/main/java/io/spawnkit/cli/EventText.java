package io.spawnkit.cli;

import io.spawnkit.ExitStatus;
import io.spawnkit.supervisor.SupervisorEvent;

/**
 * What {@code spawnkit run} prints about a helper, after its name, foreman style.
 *
 * <pre>
 *   event                          text
 *   Started(pid 42, attempt 0)     started with pid 42
 *   Started(pid 43, attempt 2)     restarted with pid 43 (restart 2)
 *   Ready                          ready
 *   NotReady(reason)               not ready: reason
 *   SpawnFailed(error)             could not start: error's message
 *   Exited(Exited(1))              exited with code 1
 *   Exited(Signaled(TERM))         killed by SIGTERM
 *   Restarting(attempt 1, 250ms)   restarting in 250ms (restart 1)
 *   GaveUp(reason)                 gave up restarting: reason
 *   Stopped                        (nothing: its exit was already shown)
 * </pre>
 */
final class EventText {
    private EventText() {}

    /** The text for {@code event}, or null when it prints nothing. */
    static String of(SupervisorEvent event) {
        return switch (event) {
            case SupervisorEvent.Started s -> s.attempt() == 0
                    ? "started with pid " + s.pid()
                    : "restarted with pid " + s.pid() + " (restart " + s.attempt() + ")";
            case SupervisorEvent.Ready r -> "ready";
            case SupervisorEvent.NotReady n -> "not ready: " + n.reason();
            case SupervisorEvent.SpawnFailed f -> "could not start: " + f.error().getMessage();
            case SupervisorEvent.Exited e -> status(e.status());
            case SupervisorEvent.Restarting r -> "restarting in " + DurationConverter.format(r.delay())
                    + " (restart " + r.attempt() + ")";
            case SupervisorEvent.GaveUp g -> "gave up restarting: " + g.reason();
            case SupervisorEvent.Stopped s -> null;
        };
    }

    /** {@code exited with code N} or {@code killed by SIGNAME} (+ {@code (core dumped)}). */
    static String status(ExitStatus status) {
        return switch (status) {
            case ExitStatus.Exited e -> "exited with code " + e.code();
            case ExitStatus.Signaled s -> "killed by " + sigName(s.signal()) + (s.coreDumped() ? " (core dumped)" : "");
        };
    }

    /** {@code SIGTERM}; an unnamed signal keeps its {@code SIG<n>} name. */
    static String sigName(io.spawnkit.Signal signal) {
        return signal.name().startsWith("SIG") ? signal.name() : "SIG" + signal.name();
    }
}
