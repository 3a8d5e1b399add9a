package io.spawnkit.supervisor;

import io.spawnkit.ChildProcess;
import io.spawnkit.Command;
import io.spawnkit.ExitStatus;
import io.spawnkit.ReadEnd;
import io.spawnkit.Signal;
import io.spawnkit.Stdio;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadLocalRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One helper through its runs: spawn, readiness, the end of the leader, the clean-up of its group,
 * the restart decision. Everything here runs on the supervisor's thread (see {@link Engine}),
 * except the fields marked volatile, which other threads read.
 *
 * <p>A run is over only when three things have happened, in any order: the leader has exited, no
 * process of its group is left, and both pipes have reached their end (so every line has been
 * delivered). Only then is the helper restarted or reported {@code Stopped}.
 */
final class HelperRunner {
    /** The first look for leftovers in a group comes this soon after the leader's exit; then it backs off. */
    private static final long FIRST_GROUP_POLL_NANOS = 5_000_000L;
    private static final long MAX_GROUP_POLL_NANOS = 100_000_000L;
    /**
     * How long we look for a group to empty after SIGKILL: a member we may not signal (EPERM, it
     * changed user) or a zombie nobody reaps on a backend that cannot tell would keep it forever.
     */
    static final Duration KILL_WAIT = Duration.ofSeconds(5);
    /**
     * How long the pipes may stay open once the group is gone: a process that left the group
     * (setsid) may still hold them. Then we close our ends, and the line of text cut there is lost.
     */
    static final Duration DRAIN_WAIT = Duration.ofSeconds(2);
    /** The exit code counted for a helper that could not be spawned, as a shell does for a command it cannot run. */
    static final int SPAWN_FAILED_CODE = 127;

    /** Groups cannot be made on this JVM's backend (the JDK fallback): found out on the first spawn, once. */
    private static volatile boolean noProcessGroups;

    enum State { WAITING, BACKOFF, RUNNING, STOPPED }

    final Engine engine;
    final HelperSpec spec;
    final Logger log;
    private final Command withGroup;
    private final Command withoutGroup;
    private final Restarts restarts;

    State state = State.WAITING;
    boolean stopRequested;
    boolean everStarted;
    boolean everReady;
    boolean completedSuccessfully;
    Integer lastCode;
    private int attempts;
    private Run run;
    private ScheduledFuture<?> backoff;
    /** The pid of the leader while it runs, for {@link Supervisor#pid(String)}. */
    volatile Long pid;

    HelperRunner(Engine engine, HelperSpec spec) {
        this.engine = engine;
        this.spec = spec;
        this.log = LoggerFactory.getLogger(engine.loggerPrefix + spec.name());
        this.withoutGroup = spec.command().copy().stdout(Stdio.pipe()).stderr(Stdio.pipe());
        this.withGroup = withoutGroup.copy().newProcessGroup();
        this.restarts = new Restarts(spec.restart());
    }

    String name() {
        return spec.name();
    }

    boolean satisfies(DependsOn.Condition c) {
        return switch (c) {
            case STARTED -> everStarted;
            case READY -> everReady;
            case COMPLETED_SUCCESSFULLY -> completedSuccessfully;
        };
    }

    // ---- start

    void spawn() {
        backoff = null;
        int attempt = attempts++;
        ChildProcess child;
        boolean grouped = !noProcessGroups;
        try {
            child = spawnChild();
            grouped = grouped && !noProcessGroups;
        } catch (RuntimeException e) {
            state = State.RUNNING; // for the decision below, as if a run had ended at once
            engine.emit(new SupervisorEvent.SpawnFailed(name(), e));
            afterRun(SPAWN_FAILED_CODE, false, 0);
            return;
        }
        GroupControl group = grouped
                ? new GroupControl.ProcessGroup(child)
                : new GroupControl.Descendants(child);
        Run r = new Run(child, group, attempt, System.nanoTime());
        run = r;
        state = State.RUNNING;
        everStarted = true;
        pid = child.pid();
        engine.emit(new SupervisorEvent.Started(name(), child.pid(), attempt));

        // Lines come on the supervisor's thread, a chunk at a time: the core stops reading a pipe
        // until the lines of its last chunk have been delivered, so a helper that writes faster
        // than SLF4J and the listeners take its lines waits in write() instead of filling our
        // memory. The end of a stream comes after its last line, so "both pipes done" means every
        // line has been delivered.
        if (engine.wantsLineBytes()) {
            child.stdout().onLineBytes(new BytesIn(r, LineListener.Stream.STDOUT), spec.idleFlush(), engine::post);
            child.stderr().onLineBytes(new BytesIn(r, LineListener.Stream.STDERR), spec.idleFlush(), engine::post);
        } else {
            child.stdout().onLine(line -> onLine(r, LineListener.Stream.STDOUT, line), spec.idleFlush(), engine::post);
            child.stderr().onLine(line -> onLine(r, LineListener.Stream.STDERR, line), spec.idleFlush(), engine::post);
        }
        child.stdout().done().whenComplete((v, e) -> engine.post(() -> {
            r.stdoutDone = true;
            maybeOver(r);
        }));
        child.stderr().done().whenComplete((v, e) -> engine.post(() -> {
            r.stderrDone = true;
            maybeOver(r);
        }));
        child.onExit().whenComplete((status, error) -> engine.post(() -> leaderExited(r, status, error)));
        if (group instanceof GroupControl.Descendants) {
            r.tick = engine.schedule(Duration.ofSeconds(1), () -> tick(r));
        }
        startReadiness(r);
        engine.reconcile();
    }

    /**
     * Spawns in a new process group; on a backend without groups (the JDK fallback refuses one
     * with {@link UnsupportedOperationException}) the same command without, logged once. If that
     * fails too, its own error is the one reported.
     */
    private ChildProcess spawnChild() {
        if (noProcessGroups) {
            return withoutGroup.spawn();
        }
        try {
            return withGroup.spawn();
        } catch (UnsupportedOperationException e) {
            ChildProcess c = withoutGroup.spawn();
            if (!noProcessGroups) {
                noProcessGroups = true;
                Engine.LOG.warn("spawnkit supervisor: no process groups on this backend ({}); helpers are stopped "
                        + "through their descendants, and a process that outlives its helper unseen is not found",
                        e.getMessage());
            }
            return c;
        }
    }

    private void tick(Run r) {
        if (r.status == null && run == r) {
            r.group.tick();
            r.tick = engine.schedule(Duration.ofSeconds(1), () -> tick(r));
        }
    }

    // ---- readiness

    private void startReadiness(Run r) {
        switch (spec.readiness()) {
            case Readiness.Started s -> ready(r);
            case Readiness.Line l -> r.readinessTimer = engine.schedule(l.timeout(),
                    () -> notReady(r, "no line matching /" + l.pattern() + "/ within " + Engine.format(l.timeout())));
            case Readiness.Delay d -> r.readinessTimer = engine.schedule(d.delay(), () -> ready(r));
            case Readiness.Port p -> engine.probes.poll(name(), "port " + p.host() + ":" + p.port(),
                    Probes.port(p.host(), p.port()), orDefault(p.interval(), Readiness.DEFAULT_INTERVAL),
                    orDefault(p.timeout(), Readiness.DEFAULT_TIMEOUT), () -> r.over,
                    failure -> engine.post(() -> probed(r, failure)));
            case Readiness.Http h -> engine.probes.poll(name(), "GET " + h.uri(), engine.probes.http(h),
                    orDefault(h.interval(), Readiness.DEFAULT_INTERVAL), orDefault(h.timeout(), Readiness.DEFAULT_TIMEOUT),
                    () -> r.over, failure -> engine.post(() -> probed(r, failure)));
        }
    }

    private static Duration orDefault(Duration d, Duration otherwise) {
        return d != null ? d : otherwise;
    }

    private void probed(Run r, String failure) {
        if (failure == null) {
            ready(r);
        } else {
            notReady(r, failure);
        }
    }

    private void ready(Run r) {
        if (run != r || r.ready || r.status != null || r.stopSent) {
            return;
        }
        r.ready = true;
        Engine.cancel(r.readinessTimer);
        everReady = true;
        engine.emit(new SupervisorEvent.Ready(name()));
        engine.reconcile();
    }

    private void notReady(Run r, String reason) {
        if (run != r || r.ready || r.status != null || r.stopSent) {
            return;
        }
        engine.emit(new SupervisorEvent.NotReady(name(), reason));
        requestStop(false);
        engine.reconcile();
    }

    private void onLine(Run r, LineListener.Stream stream, String line) {
        engine.line(this, stream, line);
        if (spec.readiness() instanceof Readiness.Line l && !r.ready && l.pattern().matcher(line).find()) {
            ready(r);
        }
    }

    /**
     * Lines as bytes for the {@link LineBytesListener}s; decoded only for SLF4J, the
     * {@link LineListener}s, or a line readiness check still waiting.
     */
    private final class BytesIn implements ReadEnd.LineBytes {
        private final Run r;
        private final LineListener.Stream stream;

        BytesIn(Run r, LineListener.Stream stream) {
            this.r = r;
            this.stream = stream;
        }

        @Override
        public void line(byte[] bytes, int offset, int length) {
            engine.lineBytes(HelperRunner.this, stream, bytes, offset, length);
            if (engine.wantsLineStrings() || (spec.readiness() instanceof Readiness.Line && !r.ready)) {
                onLine(r, stream, new String(bytes, offset, length, StandardCharsets.UTF_8));
            }
        }

        @Override
        public void endOfBatch() {
            engine.endOfLineBatch();
        }
    }

    // ---- stop

    /**
     * A stop we ask for: never followed by a restart. Before a run, the helper just ends; during
     * one, the stop signal goes to the group (then {@code SIGKILL} after the grace), or
     * {@code SIGKILL} at once when {@code kill}.
     */
    void requestStop(boolean kill) {
        stopRequested = true;
        switch (state) {
            case WAITING -> finish(null);
            case BACKOFF -> {
                Engine.cancel(backoff);
                finish(lastCode);
            }
            case RUNNING -> {
                if (run != null) {
                    signal(run, kill);
                }
            }
            case STOPPED -> { }
        }
    }

    /** The stop signal to the group and the grace timer, or SIGKILL. */
    private void signal(Run r, boolean kill) {
        if (r.groupGone) {
            return;
        }
        if (kill) {
            killNow(r);
            return;
        }
        if (r.stopSent) {
            return;
        }
        r.stopSent = true;
        Signal s = r.group.supports(spec.stopSignal()) ? spec.stopSignal() : Signal.TERM;
        r.group.signal(s);
        // A member stopped by SIGTSTP/SIGTTIN (a background group reading the terminal) acts on the
        // stop signal only once it runs again; systemd sends SIGCONT after SIGTERM for the same reason.
        if (!s.equals(Signal.KILL) && !s.equals(Signal.CONT) && r.group.supports(Signal.CONT)) {
            r.group.signal(Signal.CONT);
        }
        r.grace = engine.schedule(spec.stopGrace(), () -> killNow(r));
    }

    private void killNow(Run r) {
        if (r.groupGone) {
            return;
        }
        r.stopSent = true;
        Engine.cancel(r.grace);
        r.group.signal(Signal.KILL);
        if (r.killedAt == 0) {
            r.killedAt = System.nanoTime();
        }
    }

    // ---- the end of a run

    private void leaderExited(Run r, ExitStatus status, Throwable error) {
        if (error != null) {
            Engine.LOG.error("the exit of helper {} (pid {}) could not be observed", name(), r.child.pid(), error);
            status = new ExitStatus.Exited(1);
        }
        r.status = status;
        r.over = true;
        pid = null;
        Engine.cancel(r.readinessTimer);
        Engine.cancel(r.tick);
        engine.emit(new SupervisorEvent.Exited(name(), status));
        // Leftovers of a leader that exited by itself are stopped like a helper (signal, grace,
        // kill); after a stop of ours the signal has gone out already.
        if (!r.stopSent && r.group.alive()) {
            signal(r, false);
        }
        pollGroup(r, FIRST_GROUP_POLL_NANOS);
    }

    /**
     * Looks until no process of the group is left; there is no notification for that. Polling
     * backs off from 5 to 100 ms. A group still there {@link #KILL_WAIT} after SIGKILL is given up
     * on, with a warning.
     */
    private void pollGroup(Run r, long delayNanos) {
        if (r.groupGone) {
            return;
        }
        if (!r.group.alive()) {
            groupGone(r);
            return;
        }
        if (r.killedAt != 0 && System.nanoTime() - r.killedAt > Engine.nanos(KILL_WAIT)) {
            Engine.LOG.warn("helper {}: processes of group {} are still there {} after SIGKILL; going on without them",
                    name(), r.child.pid(), Engine.format(KILL_WAIT));
            groupGone(r);
            return;
        }
        long next = Math.min(delayNanos * 2, MAX_GROUP_POLL_NANOS);
        engine.schedule(delayNanos, () -> pollGroup(r, next));
    }

    private void groupGone(Run r) {
        r.groupGone = true;
        Engine.cancel(r.grace);
        if (!(r.stdoutDone && r.stderrDone)) {
            r.drain = engine.schedule(DRAIN_WAIT, () -> {
                if (!(r.stdoutDone && r.stderrDone)) {
                    Engine.LOG.warn("helper {}: its output is still open {} after its process group ended "
                            + "(a process outside the group holds it); closing it", name(), Engine.format(DRAIN_WAIT));
                    r.child.close();
                }
            });
        }
        maybeOver(r);
    }

    private void maybeOver(Run r) {
        if (r.finished || r.status == null || !r.groupGone || !r.stdoutDone || !r.stderrDone) {
            return;
        }
        r.finished = true;
        Engine.cancel(r.drain);
        r.child.close(); // whatever else the command piped (its stdin, say): nobody can use it any more
        run = null;
        afterRun(r.status.shellCode(), r.status.isSuccess(), System.nanoTime() - r.startedAt);
    }

    /** After a run (or a failed spawn): restart, give up, or end for good. */
    private void afterRun(int code, boolean success, long uptimeNanos) {
        lastCode = code;
        if (success) {
            completedSuccessfully = true;
        }
        if (stopRequested || engine.stopping != null || !restarts.wants(success)) {
            finish(code);
            return;
        }
        switch (restarts.next(System.nanoTime(), uptimeNanos, ThreadLocalRandom.current()::nextDouble)) {
            case Restarts.GiveUp g -> {
                engine.emit(new SupervisorEvent.GaveUp(name(), g.reason()));
                finish(code);
            }
            case Restarts.Restart rs -> {
                state = State.BACKOFF;
                engine.emit(new SupervisorEvent.Restarting(name(), attempts, rs.delay()));
                backoff = engine.schedule(rs.delay(), () -> {
                    if (state == State.BACKOFF && engine.stopping == null) {
                        spawn();
                    }
                });
                engine.reconcile();
            }
        }
    }

    /** Ended for good: {@code code} is what it counts for in the exit code, null if it never ran. */
    void finish(Integer code) {
        if (state == State.STOPPED) {
            return;
        }
        state = State.STOPPED;
        pid = null;
        engine.emit(new SupervisorEvent.Stopped(name()));
        engine.ended(this, code);
    }

    /** One process of the helper and what is known of its end. */
    private static final class Run {
        final ChildProcess child;
        final GroupControl group;
        final int attempt;
        final long startedAt;
        ExitStatus status;
        boolean ready;
        boolean stdoutDone;
        boolean stderrDone;
        boolean stopSent;
        long killedAt;
        boolean groupGone;
        boolean finished;
        ScheduledFuture<?> grace;
        ScheduledFuture<?> readinessTimer;
        ScheduledFuture<?> drain;
        ScheduledFuture<?> tick;
        /** Read by the probes' virtual threads. */
        volatile boolean over;

        Run(ChildProcess child, GroupControl group, int attempt, long startedAt) {
            this.child = child;
            this.group = group;
            this.attempt = attempt;
            this.startedAt = startedAt;
        }
    }
}
