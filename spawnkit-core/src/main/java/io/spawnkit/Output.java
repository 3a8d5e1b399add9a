package io.spawnkit;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

/**
 * What {@link Command#output()} gathered: how the child ended and what it wrote to stdout and stderr
 * (up to the {@linkplain Command#captureLimit(long) capture limit}; the rest was read and dropped).
 */
public final class Output {
    private final List<String> command;
    private final ExitStatus status;
    private final byte[] stdout;
    private final byte[] stderr;
    private final boolean stdoutTruncated;
    private final boolean stderrTruncated;

    Output(List<String> command, ExitStatus status, byte[] stdout, boolean stdoutTruncated,
            byte[] stderr, boolean stderrTruncated) {
        this.command = command;
        this.status = status;
        this.stdout = stdout;
        this.stderr = stderr;
        this.stdoutTruncated = stdoutTruncated;
        this.stderrTruncated = stderrTruncated;
    }

    /** How the child ended. */
    public ExitStatus status() {
        return status;
    }

    /** A copy of the captured stdout bytes. */
    public byte[] stdout() {
        return stdout.clone();
    }

    /** A copy of the captured stderr bytes. */
    public byte[] stderr() {
        return stderr.clone();
    }

    /** The captured stdout decoded as UTF-8 (malformed input replaced). */
    public String stdoutText() {
        return new String(stdout, StandardCharsets.UTF_8);
    }

    /** The captured stderr decoded as UTF-8 (malformed input replaced). */
    public String stderrText() {
        return new String(stderr, StandardCharsets.UTF_8);
    }

    /** True when stdout exceeded the capture limit and its end was dropped. */
    public boolean stdoutTruncated() {
        return stdoutTruncated;
    }

    /** True when stderr exceeded the capture limit and its end was dropped. */
    public boolean stderrTruncated() {
        return stderrTruncated;
    }

    /** This output when the child exited with 0; otherwise throws {@link ProcessFailedException}. */
    public Output checkSuccess() {
        if (!status.isSuccess()) {
            throw new ProcessFailedException(command, status, stderrTail());
        }
        return this;
    }

    /** At most {@link ProcessFailedException#TAIL_LIMIT} bytes of the end of stderr, as text. */
    String stderrTail() {
        int from = Math.max(0, stderr.length - ProcessFailedException.TAIL_LIMIT);
        return new String(Arrays.copyOfRange(stderr, from, stderr.length), StandardCharsets.UTF_8);
    }

    @Override
    public String toString() {
        return "Output[" + status + ", stdout " + stdout.length + " bytes, stderr " + stderr.length + " bytes]";
    }
}
