package io.spawnkit.bench;

import java.util.List;

/**
 * One process library as a benchmark drives it: one method per scenario, each written the way the
 * library's own documentation shows. The scenarios ({@link Scenarios}) do the timing and checking;
 * a competitor only starts children and reports what happened.
 *
 * <p>A competitor that cannot do something throws {@link Skip}; any other exception fails the run.
 */
interface Competitor {

    /**
     * Runs {@code argv} to its end with stdin, stdout and stderr not piped (discarded or /dev/null)
     * where the library allows it; fails unless it exits with 0.
     */
    void spawnWait(List<String> argv) throws Exception;

    /**
     * Starts {@code argv} with stdout piped (stdin and stderr not piped where possible) and returns
     * once it is started; every stdout line, the exit and the end of stdout are reported to
     * {@code events} asynchronously, from whatever thread the library uses.
     */
    void startLines(List<String> argv, LineEvents events) throws Exception;

    /**
     * Runs {@code argv} with stdout piped and returns all it printed together with
     * {@link System#nanoTime()} as stamped in the library's exit notification.
     */
    Stamped exitStamp(List<String> argv) throws Exception;

    /** Runs {@code argv} and reads its whole stdout through the library's streaming API: the byte count. */
    long readAll(List<String> argv) throws Exception;

    /** What a child printed, and when the library told us it ended. */
    record Stamped(String stdout, long exitNanos) {}

    /** The asynchronous events of {@link #startLines}. */
    interface LineEvents {
        void line(String line);

        /** The child ended; {@code problem} is null when it exited with 0. */
        void exited(String problem);

        /** The end of stdout: every line has been delivered. */
        void eof();
    }

    /** Thrown by a competitor that cannot do a scenario: printed as a SKIP line, the run exits 0. */
    final class Skip extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Skip(String reason) {
            super(reason);
        }
    }

    /** The competitor of a name given on the command line. */
    static Competitor named(String name) {
        if (name.startsWith("pb")) {
            // pb, pb-vfork, ...: the launch mechanism is chosen by bench/run with -Djdk.lang.Process.launchMechanism
            return new ProcessBuilderCompetitor();
        }
        return switch (name) {
            case "spawnkit" -> new SpawnkitCompetitor(Mode.ON_DATA);
            case "spawnkit-stream" -> new SpawnkitCompetitor(Mode.INPUT_STREAM);
            case "nuprocess" -> new NuProcessCompetitor();
            case "zt-exec" -> new ZtExecCompetitor();
            case "commons-exec" -> new CommonsExecCompetitor();
            default -> throw new IllegalArgumentException("unknown competitor '" + name
                    + "': expected spawnkit, spawnkit-stream, pb*, nuprocess, zt-exec or commons-exec");
        };
    }

    /** How spawnkit reads in the throughput scenario. */
    enum Mode { ON_DATA, INPUT_STREAM }
}
