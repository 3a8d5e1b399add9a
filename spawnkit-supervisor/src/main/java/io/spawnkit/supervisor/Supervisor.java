package io.spawnkit.supervisor;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * Runs named helpers side by side: each in a process group of its own, its lines in SLF4J, started
 * in dependency order, restarted by its {@link RestartPolicy}, stopped as a whole group.
 *
 * <p>Lines: each line of a helper's stdout is logged at INFO and each line of its stderr at WARN
 * on the logger {@code <loggerPrefix><name>} (default {@code spawnkit.helper.<name>}), with the
 * helper's name in the MDC under {@code helper}, and handed to the {@link LineListener}s. Pieces
 * of a line are joined, a line is never cut or mixed with another, a last line without newline is
 * delivered at the end, and a partial line (a prompt) is shown after {@link HelperSpec#idleFlush()}
 * of silence. Every line of a run is delivered before the run counts as over (before
 * {@code Stopped}, a restart, or {@link #exitCode()}).
 *
 * <p>Stopping a helper sends its {@link HelperSpec#stopSignal() stop signal} (then {@code SIGCONT},
 * for members stopped by job control) to its whole process group, waits its
 * {@link HelperSpec#stopGrace() grace}, then sends {@code SIGKILL} to the group. A helper is
 * {@code Stopped} only when no process of its group is left: a grandchild that outlives the leader
 * is found and stopped too. When a leader exits by itself, what is left of its group is stopped the
 * same way before the helper is restarted or reported stopped. A stop we asked for (a method here,
 * the exit policy, a failed readiness check) never restarts the helper.
 *
 * <p>Dependencies: a helper starts once each of its {@link DependsOn} conditions holds. A helper
 * whose dependency can never hold any more (the dependency stopped for good without having started,
 * become ready, or completed successfully, as asked) is not started: it gets a {@code GaveUp}
 * event, then {@code Stopped}, and counts as failed with exit code 1.
 *
 * <p>Exit code ({@link ExitPolicy.Success}): each helper that ended counts with its last run's
 * code: the exit code, {@code 128 + N} after death by signal N (also when our stop sent it), 127 if
 * it could not be spawned, 1 if a dependency failed it. Helpers never started because the
 * supervisor was stopped first do not count; with none counted the code is 0.
 *
 * <p>Threads: one daemon thread of its own, {@code spawnkit-supervisor}, created per supervisor
 * and ended once every helper has stopped; events and lines are delivered there, in order per
 * helper. Do not block in listeners (every helper's lines wait), and do not join the futures of
 * this class from a listener. Readiness probes (port, HTTP) run on virtual threads. All methods
 * are thread-safe.
 *
 * <p>Platforms: on the JDK fallback backend ({@code -Dspawnkit.backend=jdk}, or without native
 * access) there are no process groups: helpers are started without one (logged once), and a stop
 * signals the leader and the descendants seen ({@link ProcessHandle#descendants()}, looked at every
 * second and at every stop), with {@code TERM} for any stop signal other than {@code KILL}. A
 * process started and orphaned between two looks is not found there.
 *
 * {@snippet :
 * Supervisor s = Supervisor.builder()
 *         .helper(HelperSpec.of("web", Command.of("python3", "-m", "http.server", "8000"))
 *                 .withReadiness(Readiness.port(8000)))
 *         .helper(HelperSpec.of("assets", Command.of("npm", "run", "watch"))
 *                 .dependingOn("web", DependsOn.Condition.READY)
 *                 .withRestart(RestartPolicy.onFailure()))
 *         .exitPolicy(ExitPolicy.stopAllWhenAnyEnds())
 *         .build()
 *         .start();
 * int code = s.exitCode().join();
 * }
 */
public final class Supervisor implements AutoCloseable {

    /** Collects the helpers and policies; {@link #build()} checks them. */
    public static final class Builder {
        final List<HelperSpec> helpers = new ArrayList<>();
        ExitPolicy exitPolicy = ExitPolicy.keepRunning();
        final List<Consumer<SupervisorEvent>> listeners = new ArrayList<>();
        final List<LineListener> lineListeners = new ArrayList<>();
        final List<LineBytesListener> lineBytesListeners = new ArrayList<>();
        boolean logLines = true;
        String loggerPrefix = "spawnkit.helper.";

        Builder() {}

        public Builder helper(HelperSpec spec) {
            helpers.add(Objects.requireNonNull(spec, "spec"));
            return this;
        }

        /** Default: {@link ExitPolicy#keepRunning()}. */
        public Builder exitPolicy(ExitPolicy policy) {
            exitPolicy = Objects.requireNonNull(policy, "policy");
            return this;
        }

        /** Receives every {@link SupervisorEvent}, in order per helper. */
        public Builder listener(Consumer<SupervisorEvent> listener) {
            listeners.add(Objects.requireNonNull(listener, "listener"));
            return this;
        }

        /** Receives every line, besides (or, with {@code logLines(false)}, instead of) SLF4J. */
        public Builder lineListener(LineListener listener) {
            lineListeners.add(Objects.requireNonNull(listener, "listener"));
            return this;
        }

        /**
         * Receives every line as bytes, besides SLF4J and the {@link LineListener}s. With
         * {@code logLines(false)}, no line listener and no line readiness check waiting, lines are
         * never decoded: the fastest way to relay a flood of lines.
         */
        public Builder lineBytesListener(LineBytesListener listener) {
            lineBytesListeners.add(Objects.requireNonNull(listener, "listener"));
            return this;
        }

        /**
         * Whether lines go to SLF4J: stdout at INFO, stderr at WARN, on the helper's logger; and
         * the events too, on the logger {@code io.spawnkit.supervisor.Supervisor} (failures at
         * WARN, the rest at INFO). Default: true.
         */
        public Builder logLines(boolean log) {
            logLines = log;
            return this;
        }

        /** The prefix of each helper's logger name. Default: {@code spawnkit.helper.}. */
        public Builder loggerPrefix(String prefix) {
            loggerPrefix = Objects.requireNonNull(prefix, "prefix");
            return this;
        }

        /**
         * Checks the description: unique names, known dependencies without cycles, a known helper
         * for {@link ExitPolicy.Trigger#NAMED_ENDS}. Nothing is started.
         *
         * @throws SupervisorConfigException naming what is wrong
         */
        public Supervisor build() {
            Graph graph = Graph.check(helpers, exitPolicy);
            return new Supervisor(new Engine(helpers, graph, exitPolicy, listeners, lineListeners,
                    lineBytesListeners, logLines, loggerPrefix));
        }
    }

    private final Engine engine;
    private final AtomicBoolean started = new AtomicBoolean();

    private Supervisor(Engine engine) {
        this.engine = engine;
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * Starts the helpers in dependency order; returns at once. A second call does nothing; after a
     * stop, nothing is started.
     */
    public Supervisor start() {
        if (started.compareAndSet(false, true)) {
            engine.start();
        }
        return this;
    }

    /**
     * Completes with the exit code chosen by the {@link ExitPolicy} once every helper has stopped
     * (and every line has been delivered).
     */
    public CompletableFuture<Integer> exitCode() {
        return engine.exitCode();
    }

    /**
     * Stops every helper in reverse dependency order: a helper is stopped once every helper that
     * depends on it has stopped; helpers not started yet are not started. Completes when all are
     * stopped.
     */
    public CompletableFuture<Void> stop() {
        return engine.stop(Engine.StopMode.ORDERED);
    }

    /**
     * Sends every helper's stop signal to its group at once, then SIGKILL after its grace (Ctrl-C).
     * Also hurries a {@link #stop()} in progress. Completes when all are stopped.
     */
    public CompletableFuture<Void> stopAllAtOnce() {
        return engine.stop(Engine.StopMode.AT_ONCE);
    }

    /** SIGKILL to every helper's group now (a second Ctrl-C); completes when all are stopped. */
    public CompletableFuture<Void> kill() {
        return engine.stop(Engine.StopMode.KILL);
    }

    /** The helpers' names, in the order given. */
    public List<String> helperNames() {
        return engine.names();
    }

    /**
     * The pid of the helper's current process, if one runs.
     *
     * @throws IllegalArgumentException no helper has this name
     */
    public Optional<Long> pid(String helper) {
        HelperRunner h = engine.helpers.get(helper);
        if (h == null) {
            throw new IllegalArgumentException("no helper named '" + helper + "'");
        }
        return Optional.ofNullable(h.pid);
    }

    /** {@link #stop()} and wait for it (not from a listener: they run on the thread that stops). */
    @Override
    public void close() {
        stop().join();
    }
}
