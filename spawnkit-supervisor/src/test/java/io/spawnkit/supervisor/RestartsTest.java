package io.spawnkit.supervisor;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The restart bookkeeping alone, with a made-up clock: no processes. */
class RestartsTest {
    private static final long MS = 1_000_000L;
    private static final long S = 1000 * MS;

    private static final RestartPolicy POLICY = RestartPolicy.onFailure()
            .withBackoff(Duration.ofMillis(100), Duration.ofSeconds(1), 2.0).withJitter(0)
            .withLimit(3, Duration.ofSeconds(60)).withResetAfter(Duration.ofSeconds(30));

    private static Restarts.Decision restart(long ms) {
        return new Restarts.Restart(Duration.ofMillis(ms));
    }

    @Test
    void delaysDoubleUpToTheCapAndTheLimitGivesUp() {
        Restarts r = new Restarts(POLICY.withLimit(10, Duration.ofSeconds(60)));
        long t = 0;
        long[] expected = {100, 200, 400, 800, 1000, 1000};
        for (long e : expected) {
            assertThat(r.next(t, 100 * MS, () -> 0.5)).isEqualTo(restart(e));
            t += S;
        }
    }

    @Test
    void theBurstLimitCountsWithinTheWindow() {
        Restarts r = new Restarts(POLICY);
        assertThat(r.next(0, MS, () -> 0.5)).isInstanceOf(Restarts.Restart.class);
        assertThat(r.next(1 * S, MS, () -> 0.5)).isInstanceOf(Restarts.Restart.class);
        assertThat(r.next(2 * S, MS, () -> 0.5)).isInstanceOf(Restarts.Restart.class);
        assertThat(r.next(3 * S, MS, () -> 0.5)).isInstanceOf(Restarts.GiveUp.class);
        // once the first restart has left the window there is room again (the delay keeps growing)
        assertThat(r.next(61 * S, MS, () -> 0.5)).isEqualTo(restart(800));
    }

    @Test
    void aStableRunStartsDelayAndCountAgain() {
        Restarts r = new Restarts(POLICY);
        r.next(0, MS, () -> 0.5);
        r.next(S, MS, () -> 0.5);
        r.next(2 * S, MS, () -> 0.5);
        assertThat(r.next(40 * S, 35 * S, () -> 0.5)).isEqualTo(restart(100));
    }

    @Test
    void jitterStaysWithinItsFraction() {
        Restarts low = new Restarts(POLICY.withJitter(0.1));
        Restarts high = new Restarts(POLICY.withJitter(0.1));
        assertThat(low.next(0, MS, () -> 0.0)).isEqualTo(restart(90));
        assertThat(high.next(0, MS, () -> 0.75)).isEqualTo(restart(105));
    }

    @Test
    void theModeDecidesWhichEndingsRestart() {
        assertThat(new Restarts(RestartPolicy.no()).wants(false)).isFalse();
        assertThat(new Restarts(RestartPolicy.onFailure()).wants(false)).isTrue();
        assertThat(new Restarts(RestartPolicy.onFailure()).wants(true)).isFalse();
        assertThat(new Restarts(RestartPolicy.always()).wants(true)).isTrue();
    }
}
