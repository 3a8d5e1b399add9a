package io.spawnkit.supervisor;

import java.util.Objects;

/**
 * A helper waits for another before it starts (docker compose's {@code depends_on}); stopping runs
 * in the reverse order.
 *
 * @param helper    the name of the helper waited for
 * @param condition what is waited for
 */
public record DependsOn(String helper, Condition condition) {

    public enum Condition {
        /** The other helper has been spawned. */
        STARTED,
        /** The other helper passed its {@link Readiness} check. */
        READY,
        /** The other helper ended with exit code 0 (a one-shot task such as a migration). */
        COMPLETED_SUCCESSFULLY
    }

    public DependsOn {
        Objects.requireNonNull(helper, "helper");
        Objects.requireNonNull(condition, "condition");
    }
}
