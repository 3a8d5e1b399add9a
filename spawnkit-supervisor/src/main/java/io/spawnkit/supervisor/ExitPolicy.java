package io.spawnkit.supervisor;

import java.util.Objects;

/**
 * When the supervisor as a whole ends, and with which exit code (concurrently's
 * {@code --kill-others} and {@code --success first|last|all} are the model).
 *
 * <p>Helpers that end and are restarted do not count as ending. The supervisor ends when every
 * helper has stopped for good, or when the trigger fires (then the others are stopped).
 *
 * @param trigger what stops the others
 * @param name    the helper named by {@link Trigger#NAMED_ENDS}, else null
 * @param success how the exit code is chosen
 */
public record ExitPolicy(Trigger trigger, String name, Success success) {

    public enum Trigger {
        /** Nothing stops the others: the supervisor runs until all have ended or it is stopped. */
        KEEP_RUNNING,
        /** The first helper that ends for good stops all the others. */
        ANY_ENDS,
        /** The named helper ending for good stops all the others. */
        NAMED_ENDS
    }

    /** Which endings make the exit code: 0, or the first non-zero code (128+N for signal N). */
    public enum Success {
        /** The code of the helper that ended first. */
        FIRST,
        /** The code of the helper that ended last. */
        LAST,
        /** 0 if every helper ended with 0, else the first failure's code. */
        ALL
    }

    public ExitPolicy {
        Objects.requireNonNull(trigger, "trigger");
        Objects.requireNonNull(success, "success");
        if ((trigger == Trigger.NAMED_ENDS) != (name != null)) {
            throw new IllegalArgumentException("a helper name goes with NAMED_ENDS, and only with it");
        }
    }

    public static ExitPolicy keepRunning() {
        return new ExitPolicy(Trigger.KEEP_RUNNING, null, Success.ALL);
    }

    public static ExitPolicy stopAllWhenAnyEnds() {
        return new ExitPolicy(Trigger.ANY_ENDS, null, Success.FIRST);
    }

    public static ExitPolicy stopAllWhenEnds(String helper) {
        return new ExitPolicy(Trigger.NAMED_ENDS, helper, Success.FIRST);
    }

    public ExitPolicy withSuccess(Success s) {
        return new ExitPolicy(trigger, name, s);
    }
}
