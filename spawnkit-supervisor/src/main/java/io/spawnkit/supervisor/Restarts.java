package io.spawnkit.supervisor;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.function.DoubleSupplier;

/**
 * The restart bookkeeping of one helper under a {@link RestartPolicy}, the systemd way: a delay
 * that grows by {@code multiplier} per restart up to {@code maxDelay}, a random jitter, at most
 * {@code burst} restarts within {@code window} (the next failure gives up), and both counts
 * forgotten after a run that stayed up {@code resetAfter}. Pure: time and randomness come from
 * the caller. Not thread-safe (the supervisor's thread only).
 *
 * <pre>
 *   policy: 100 ms, x2, cap 1 s, no jitter, 3 within 60 s, reset after 30 s
 *   run ends after   decision
 *   0.1 s            restart in 100 ms
 *   0.1 s            restart in 200 ms
 *   0.1 s            restart in 400 ms
 *   0.1 s            give up: 3 restarts within 60 s
 *   (or instead)
 *   40 s             restart in 100 ms   (stable: delay and count start again)
 * </pre>
 */
final class Restarts {

    /** What to do after a run ended. */
    sealed interface Decision {}

    record Restart(Duration delay) implements Decision {}

    record GiveUp(String reason) implements Decision {}

    private final RestartPolicy policy;
    private final ArrayDeque<Long> restartTimes = new ArrayDeque<>();
    private int consecutive;

    Restarts(RestartPolicy policy) {
        this.policy = policy;
    }

    /** Whether the policy's mode restarts after an ending that was ({@code success}) or was not a success. */
    boolean wants(boolean success) {
        return switch (policy.mode()) {
            case NO -> false;
            case ON_FAILURE -> !success;
            case ALWAYS -> true;
        };
    }

    /**
     * Decides after a run that lasted {@code uptimeNanos} ended at {@code nowNanos}; a restart is
     * counted at once. {@code random} gives values in [0, 1).
     */
    Decision next(long nowNanos, long uptimeNanos, DoubleSupplier random) {
        if (uptimeNanos >= Engine.nanos(policy.resetAfter())) {
            consecutive = 0;
            restartTimes.clear();
        }
        long windowNanos = Engine.nanos(policy.window());
        while (!restartTimes.isEmpty() && nowNanos - restartTimes.peekFirst() >= windowNanos) {
            restartTimes.pollFirst();
        }
        if (restartTimes.size() >= policy.burst()) {
            return new GiveUp("restarted " + restartTimes.size() + " times within " + Engine.format(policy.window())
                    + " (the limit)");
        }
        double base = Engine.nanos(policy.initialDelay()) * Math.pow(policy.multiplier(), consecutive);
        double capped = Math.min(base, Engine.nanos(policy.maxDelay()));
        double jittered = capped * (1 + policy.jitter() * (2 * random.getAsDouble() - 1));
        long delay = (long) Math.max(0, Math.min(jittered, Long.MAX_VALUE / 2.0));
        consecutive++;
        restartTimes.addLast(nowNanos);
        return new Restart(Duration.ofNanos(delay));
    }
}
