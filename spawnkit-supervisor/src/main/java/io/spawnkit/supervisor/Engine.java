package io.spawnkit.supervisor;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * The supervisor's state and its one thread. Every field below is read and written on that thread
 * only ({@code spawnkit-supervisor}, a daemon): the core's callbacks (lines, exits, ends of
 * streams, on its event-loop thread), the probes' results (virtual threads) and the public
 * methods (any thread) all hand their work over with {@link #post}, so no state needs a lock and
 * events leave in the order things happened. The event loop is never kept waiting: a hand-over is
 * a queue insertion. The queue stays small: lines come a chunk per task, and the core reads no
 * more of a pipe until that task has run (backpressure up to the helper's {@code write}).
 */
final class Engine {
    static final Logger LOG = LoggerFactory.getLogger(Supervisor.class);
    static final String MDC_KEY = "helper";

    /** How a stop goes on. */
    enum StopMode {
        /** Dependents first: a helper is stopped once every helper depending on it has stopped. */
        ORDERED,
        /** Every helper's stop signal now. */
        AT_ONCE,
        /** SIGKILL to every helper now. */
        KILL
    }

    final Graph graph;
    final ExitPolicy exitPolicy;
    private final List<Consumer<SupervisorEvent>> listeners;
    private final List<LineListener> lineListeners;
    private final List<LineBytesListener> lineBytesListeners;
    final boolean logLines;
    final String loggerPrefix;
    final Map<String, HelperRunner> helpers = new LinkedHashMap<>();
    final Probes probes = new Probes();
    private final ScheduledThreadPoolExecutor thread;
    private final CompletableFuture<Integer> exitCode = new CompletableFuture<>();
    private final CompletableFuture<Void> allStopped = new CompletableFuture<>();

    private boolean started;
    StopMode stopping;
    private boolean reconciling;
    private boolean dirty;
    /** Exit codes of the helpers that ended for good, in the order they ended (none for a helper that never ran). */
    private final List<Integer> endings = new ArrayList<>();

    Engine(List<HelperSpec> specs, Graph graph, ExitPolicy exitPolicy, List<Consumer<SupervisorEvent>> listeners,
            List<LineListener> lineListeners, List<LineBytesListener> lineBytesListeners, boolean logLines,
            String loggerPrefix) {
        this.graph = graph;
        this.exitPolicy = exitPolicy;
        this.listeners = List.copyOf(listeners);
        this.lineListeners = List.copyOf(lineListeners);
        this.lineBytesListeners = List.copyOf(lineBytesListeners);
        this.logLines = logLines;
        this.loggerPrefix = loggerPrefix;
        for (HelperSpec s : specs) {
            helpers.put(s.name(), new HelperRunner(this, s));
        }
        thread = new ScheduledThreadPoolExecutor(1, task -> {
            Thread t = new Thread(task, "spawnkit-supervisor");
            t.setDaemon(true);
            return t;
        });
        thread.setRemoveOnCancelPolicy(true);
        thread.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
        thread.setContinueExistingPeriodicTasksAfterShutdownPolicy(false);
    }

    // ---- the thread

    /** Runs {@code task} on the supervisor's thread; dropped once the supervisor is over. */
    void post(Runnable task) {
        try {
            thread.execute(() -> runSafely(task));
        } catch (RejectedExecutionException over) {
            // every helper has stopped: nothing is left to act on
        }
    }

    /** Runs {@code task} on the supervisor's thread after {@code delay}; null once it is over. */
    ScheduledFuture<?> schedule(Duration delay, Runnable task) {
        return schedule(nanos(delay), task);
    }

    /**
     * A duration for people: {@code 200 ms}, {@code 1.5 s}, {@code 300 s}.
     * <pre>
     *   PT0.2S  200 ms        PT1.5S  1.5 s        PT5M  300 s        PT0.0001S  0.1 ms
     * </pre>
     */
    static String format(Duration d) {
        long micros = nanos(d) / 1000;
        if (micros < 1000) {
            return micros / 1000.0 + " ms";
        }
        if (micros < 1_000_000) {
            return (micros % 1000 == 0 ? Long.toString(micros / 1000) : Double.toString(micros / 1000.0)) + " ms";
        }
        return (micros % 1_000_000 == 0 ? Long.toString(micros / 1_000_000) : Double.toString(micros / 1e6)) + " s";
    }

    /** {@code d} in nanoseconds, a duration too long for a long (292 years) taken as "never" in practice. */
    static long nanos(Duration d) {
        try {
            return d.toNanos();
        } catch (ArithmeticException tooLong) {
            return d.isNegative() ? 0 : Long.MAX_VALUE / 4;
        }
    }

    ScheduledFuture<?> schedule(long delayNanos, Runnable task) {
        try {
            return thread.schedule(() -> runSafely(task), Math.max(0, delayNanos), TimeUnit.NANOSECONDS);
        } catch (RejectedExecutionException over) {
            return null;
        }
    }

    static void cancel(ScheduledFuture<?> f) {
        if (f != null) {
            f.cancel(false);
        }
    }

    private static void runSafely(Runnable task) {
        try {
            task.run();
        } catch (Throwable t) {
            // a bug of ours must not end the thread every helper depends on
            LOG.error("spawnkit supervisor: internal error", t);
        }
    }

    // ---- public operations, handed over

    void start() {
        post(() -> {
            started = true;
            reconcile();
        });
    }

    CompletableFuture<Void> stop(StopMode mode) {
        post(() -> beginStop(mode));
        return allStopped.copy();
    }

    CompletableFuture<Integer> exitCode() {
        return exitCode.copy();
    }

    // ---- events and lines

    void emit(SupervisorEvent event) {
        if (logLines) {
            logEvent(event);
        }
        for (Consumer<SupervisorEvent> l : listeners) {
            try {
                l.accept(event);
            } catch (Throwable t) {
                LOG.error("a supervisor event listener threw on {}", event, t);
            }
        }
    }

    /**
     * The event on the supervisor's logger, with the helper in the MDC: what goes wrong at WARN,
     * the rest at INFO. Only with {@code logLines(true)}: a program that takes the lines for itself
     * (the CLI) takes the events too.
     */
    private static void logEvent(SupervisorEvent event) {
        MDC.put(MDC_KEY, event.helper());
        try {
            String h = event.helper();
            switch (event) {
                case SupervisorEvent.Started e -> LOG.info("{}: started, pid {}{}", h, e.pid(),
                        e.attempt() == 0 ? "" : " (restart " + e.attempt() + ")");
                case SupervisorEvent.Ready e -> LOG.info("{}: ready", h);
                case SupervisorEvent.NotReady e -> LOG.warn("{}: not ready: {}", h, e.reason());
                case SupervisorEvent.SpawnFailed e -> LOG.warn("{}: could not be started: {}", h, e.error().getMessage());
                case SupervisorEvent.Exited e -> LOG.info("{}: {}", h, e.status());
                case SupervisorEvent.Restarting e -> LOG.info("{}: restarting in {}", h, format(e.delay()));
                case SupervisorEvent.GaveUp e -> LOG.warn("{}: gave up: {}", h, e.reason());
                case SupervisorEvent.Stopped e -> LOG.info("{}: stopped", h);
            }
        } finally {
            MDC.remove(MDC_KEY);
        }
    }

    void line(HelperRunner h, LineListener.Stream stream, String line) {
        if (logLines) {
            MDC.put(MDC_KEY, h.name());
            try {
                if (stream == LineListener.Stream.STDOUT) {
                    h.log.info(line);
                } else {
                    h.log.warn(line);
                }
            } finally {
                MDC.remove(MDC_KEY);
            }
        }
        for (LineListener l : lineListeners) {
            try {
                l.line(h.name(), stream, line);
            } catch (Throwable t) {
                LOG.error("a line listener threw on a line of {}", h.name(), t);
            }
        }
    }

    /** Whether lines are wanted as bytes: then the helpers read them with {@code onLineBytes}. */
    boolean wantsLineBytes() {
        return !lineBytesListeners.isEmpty();
    }

    /** Whether lines are wanted as Strings (SLF4J or a {@link LineListener}). */
    boolean wantsLineStrings() {
        return logLines || !lineListeners.isEmpty();
    }

    void lineBytes(HelperRunner h, LineListener.Stream stream, byte[] bytes, int offset, int length) {
        for (LineBytesListener l : lineBytesListeners) {
            try {
                l.line(h.name(), stream, bytes, offset, length);
            } catch (Throwable t) {
                LOG.error("a line listener threw on a line of {}", h.name(), t);
            }
        }
    }

    void endOfLineBatch() {
        for (LineBytesListener l : lineBytesListeners) {
            try {
                l.endOfBatch();
            } catch (Throwable t) {
                LOG.error("a line listener threw at the end of a batch", t);
            }
        }
    }

    // ---- the whole

    /**
     * Brings every helper in line with the dependencies and the stop in progress: starts the
     * helpers whose dependencies are met, gives up on those whose dependencies never can be,
     * stops helpers in reverse dependency order, and finishes once all have stopped. Called after
     * every change; re-entrant calls (a helper finalized from here) just ask for another round.
     */
    void reconcile() {
        if (reconciling) {
            dirty = true;
            return;
        }
        reconciling = true;
        try {
            do {
                dirty = false;
                reconcileOnce();
            } while (dirty);
        } finally {
            reconciling = false;
        }
        finishIfAllStopped();
    }

    private void reconcileOnce() {
        for (HelperRunner h : helpers.values()) {
            if (h.state == HelperRunner.State.WAITING) {
                if (stopping != null) {
                    h.finish(null);
                    continue;
                }
                if (!started) {
                    continue;
                }
                String blocked = null;
                boolean ready = true;
                for (DependsOn d : h.spec.dependsOn()) {
                    HelperRunner dep = helpers.get(d.helper());
                    if (dep.satisfies(d.condition())) {
                        continue;
                    }
                    ready = false;
                    if (dep.state == HelperRunner.State.STOPPED) {
                        blocked = "dependency '" + d.helper() + "' stopped without being "
                                + switch (d.condition()) {
                                    case STARTED -> "started";
                                    case READY -> "ready";
                                    case COMPLETED_SUCCESSFULLY -> "completed successfully";
                                };
                        break;
                    }
                }
                if (blocked != null) {
                    emit(new SupervisorEvent.GaveUp(h.name(), blocked));
                    h.finish(1);
                } else if (ready) {
                    h.spawn();
                }
            } else if (h.state == HelperRunner.State.BACKOFF && stopping != null) {
                h.finish(h.lastCode);
            } else if (h.state == HelperRunner.State.RUNNING && stopping == StopMode.ORDERED && !h.stopRequested
                    && graph.dependentsOf(h.name()).stream()
                            .allMatch(n -> helpers.get(n).state == HelperRunner.State.STOPPED)) {
                h.requestStop(false);
            }
        }
    }

    void beginStop(StopMode mode) {
        if (stopping == null || mode.ordinal() > stopping.ordinal()) {
            stopping = mode;
        }
        if (mode != StopMode.ORDERED) {
            for (HelperRunner h : helpers.values()) {
                if (h.state == HelperRunner.State.RUNNING) {
                    h.requestStop(mode == StopMode.KILL);
                }
            }
        }
        reconcile();
    }

    /** A helper ended for good: records its code and applies the exit policy. */
    void ended(HelperRunner h, Integer code) {
        if (code != null) {
            endings.add(code);
        }
        if (stopping == null) {
            boolean trigger = switch (exitPolicy.trigger()) {
                case KEEP_RUNNING -> false;
                case ANY_ENDS -> true;
                case NAMED_ENDS -> exitPolicy.name().equals(h.name());
            };
            if (trigger) {
                beginStop(StopMode.ORDERED);
            }
        }
        reconcile();
    }

    private void finishIfAllStopped() {
        if (exitCode.isDone() || !(started || stopping != null)) {
            return;
        }
        for (HelperRunner h : helpers.values()) {
            if (h.state != HelperRunner.State.STOPPED) {
                return;
            }
        }
        int code = exitCodeOf(exitPolicy.success(), endings);
        allStopped.complete(null);
        exitCode.complete(code);
        probes.close();
        thread.shutdown();
    }

    /**
     * The exit code from the endings in order ({@code 128 + N} for signal N, 127 for a spawn
     * failure, 1 for a helper never started because its dependency failed).
     * <pre>
     *   endings     FIRST  LAST  ALL
     *   []          0      0     0
     *   [0, 3, 4]   0      4     3
     *   [2, 0]      2      0     2
     * </pre>
     */
    static int exitCodeOf(ExitPolicy.Success success, List<Integer> endings) {
        if (endings.isEmpty()) {
            return 0;
        }
        return switch (success) {
            case FIRST -> endings.getFirst();
            case LAST -> endings.getLast();
            case ALL -> endings.stream().filter(c -> c != 0).findFirst().orElse(0);
        };
    }

    List<String> names() {
        return Collections.unmodifiableList(new ArrayList<>(helpers.keySet()));
    }
}
