package io.spawnkit;

import java.util.List;

/**
 * A child ended without success where success was required ({@link Output#checkSuccess()}). Carries
 * the status and the last lines of the child's stderr (at most {@value #TAIL_LIMIT} bytes).
 */
public class ProcessFailedException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** The most stderr bytes kept in the exception. */
    public static final int TAIL_LIMIT = 4096;

    private final transient List<String> command;
    private final transient ExitStatus status;
    private final String stderrTail;

    public ProcessFailedException(List<String> command, ExitStatus status, String stderrTail) {
        this(command, status, stderrTail, "");
    }

    ProcessFailedException(List<String> command, ExitStatus status, String stderrTail, String what) {
        super(what + describe(command) + " " + status + (stderrTail.isEmpty() ? "" : "; stderr ends with:\n" + stderrTail));
        this.command = List.copyOf(command);
        this.status = status;
        this.stderrTail = stderrTail;
    }

    static String describe(List<String> command) {
        StringBuilder sb = new StringBuilder();
        for (String a : command) {
            if (sb.length() > 200) {
                sb.append(" ...");
                break;
            }
            if (!sb.isEmpty()) {
                sb.append(' ');
            }
            sb.append(a.isEmpty() || a.chars().anyMatch(c -> c <= ' ' || c == '"' || c == '\'') ? "'" + a + "'" : a);
        }
        return "[" + sb + "]";
    }

    /** The command's argv. */
    public List<String> command() {
        return command;
    }

    /** How the child ended. */
    public ExitStatus status() {
        return status;
    }

    /** The end of what the child wrote to stderr, decoded as UTF-8. */
    public String stderrTail() {
        return stderrTail;
    }
}
