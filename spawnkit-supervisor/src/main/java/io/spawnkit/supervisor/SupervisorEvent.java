package io.spawnkit.supervisor;

import io.spawnkit.ExitStatus;
import java.time.Duration;

/** What happens to helpers, for programs that embed the supervisor. Delivered in order per helper. */
public sealed interface SupervisorEvent {

    /** The helper's name. */
    String helper();

    /** Spawned; {@code attempt} is 0 for the first start, then 1, 2, ... for restarts. */
    record Started(String helper, long pid, int attempt) implements SupervisorEvent {}

    /** Passed its readiness check. */
    record Ready(String helper) implements SupervisorEvent {}

    /** Did not pass its readiness check in time; it is stopped. */
    record NotReady(String helper, String reason) implements SupervisorEvent {}

    /** Could not be spawned (program missing, bad directory, ...). */
    record SpawnFailed(String helper, RuntimeException error) implements SupervisorEvent {}

    /** Its process ended (its group may still be stopping). */
    record Exited(String helper, ExitStatus status) implements SupervisorEvent {}

    /** Will be started again after {@code delay}. */
    record Restarting(String helper, int attempt, Duration delay) implements SupervisorEvent {}

    /** Gave up restarting: {@code reason} says which limit. */
    record GaveUp(String helper, String reason) implements SupervisorEvent {}

    /** Stopped for good: no process of its group is left. */
    record Stopped(String helper) implements SupervisorEvent {}
}
