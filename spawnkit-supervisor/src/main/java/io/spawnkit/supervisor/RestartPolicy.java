package io.spawnkit.supervisor;

import java.time.Duration;
import java.util.Objects;

/**
 * When a helper that ended is started again, and how long we wait first. Modelled on systemd's
 * {@code Restart=}, {@code RestartSec=}, {@code StartLimitBurst=}/{@code StartLimitIntervalSec=}.
 *
 * <p>Defaults: {@link Mode#NO}; first delay 100 ms, doubled per restart up to 30 s, with 10 %
 * jitter; at most 5 restarts within 60 s (the next failure gives up and the helper stays stopped);
 * the delay and the count start again after 30 s of uptime.
 *
 * @param mode          which endings restart the helper
 * @param initialDelay  the delay before the first restart
 * @param maxDelay      the cap of the exponential backoff
 * @param multiplier    the factor between consecutive delays (at least 1)
 * @param jitter        the fraction (0..1) of each delay randomly added or taken away
 * @param burst         the most restarts allowed within {@code window}
 * @param window        the window {@code burst} counts in
 * @param resetAfter    an uptime after which the backoff and the count start again
 */
public record RestartPolicy(Mode mode, Duration initialDelay, Duration maxDelay, double multiplier,
        double jitter, int burst, Duration window, Duration resetAfter) {

    /** Which endings restart the helper. */
    public enum Mode {
        /** Never restarted. */
        NO,
        /** Restarted after a non-zero exit or a death by signal (not after a stop we asked for). */
        ON_FAILURE,
        /** Restarted after any ending we did not ask for. */
        ALWAYS
    }

    public RestartPolicy {
        Objects.requireNonNull(mode, "mode");
        Objects.requireNonNull(initialDelay, "initialDelay");
        Objects.requireNonNull(maxDelay, "maxDelay");
        Objects.requireNonNull(window, "window");
        Objects.requireNonNull(resetAfter, "resetAfter");
        if (initialDelay.isNegative() || maxDelay.compareTo(initialDelay) < 0) {
            throw new IllegalArgumentException("need 0 <= initialDelay <= maxDelay, got " + initialDelay + ", " + maxDelay);
        }
        if (!(multiplier >= 1.0) || !(jitter >= 0.0 && jitter <= 1.0)) {
            throw new IllegalArgumentException("need multiplier >= 1 and 0 <= jitter <= 1, got " + multiplier + ", " + jitter);
        }
        if (burst < 0 || window.isNegative() || resetAfter.isNegative()) {
            throw new IllegalArgumentException("burst, window and resetAfter must not be negative");
        }
    }

    /** Never restart (the default). */
    public static RestartPolicy no() {
        return new RestartPolicy(Mode.NO, Duration.ofMillis(100), Duration.ofSeconds(30), 2.0, 0.1, 5,
                Duration.ofSeconds(60), Duration.ofSeconds(30));
    }

    /** Restart after failures, with the default backoff and limits. */
    public static RestartPolicy onFailure() {
        return no().withMode(Mode.ON_FAILURE);
    }

    /** Restart after any ending we did not ask for, with the default backoff and limits. */
    public static RestartPolicy always() {
        return no().withMode(Mode.ALWAYS);
    }

    public RestartPolicy withMode(Mode m) {
        return new RestartPolicy(m, initialDelay, maxDelay, multiplier, jitter, burst, window, resetAfter);
    }

    /** The exponential backoff: first delay, cap, factor. */
    public RestartPolicy withBackoff(Duration initial, Duration max, double factor) {
        return new RestartPolicy(mode, initial, max, factor, jitter, burst, window, resetAfter);
    }

    public RestartPolicy withJitter(double fraction) {
        return new RestartPolicy(mode, initialDelay, maxDelay, multiplier, fraction, burst, window, resetAfter);
    }

    /** At most {@code restarts} restarts within {@code within}. */
    public RestartPolicy withLimit(int restarts, Duration within) {
        return new RestartPolicy(mode, initialDelay, maxDelay, multiplier, jitter, restarts, within, resetAfter);
    }

    public RestartPolicy withResetAfter(Duration uptime) {
        return new RestartPolicy(mode, initialDelay, maxDelay, multiplier, jitter, burst, window, uptime);
    }
}
