package io.spawnkit;

import java.time.Duration;
import java.util.List;

/**
 * A child ran longer than its {@link Command#timeout(Duration) timeout} and was killed. Carries
 * what the child wrote before it was killed.
 */
public final class ProcessTimeoutException extends ProcessFailedException {
    private static final long serialVersionUID = 1L;

    private final transient Duration timeout;
    private final transient Output partialOutput;

    public ProcessTimeoutException(List<String> command, Duration timeout, Output partialOutput) {
        super(command, partialOutput.status(), partialOutput.stderrTail(), "timed out after " + timeout + ": ");
        this.timeout = timeout;
        this.partialOutput = partialOutput;
    }

    /** The timeout that elapsed. */
    public Duration timeout() {
        return timeout;
    }

    /** What was captured before the child was killed, with the status it ended with. */
    public Output partialOutput() {
        return partialOutput;
    }
}
