package io.spawnkit.internal;

import java.util.PriorityQueue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;

/**
 * What an event loop runs besides its own events, the same on every platform: tasks handed over by
 * any thread, and one-shot timers. The loop keeps its wait call and its wake-up (epoll_wait and an
 * eventfd on Linux, GetQueuedCompletionStatusEx and a posted packet on Windows) and calls this
 * class from its round.
 *
 * <p>Threads: {@link #add} and {@link #schedule} from any thread; everything else on the loop
 * thread only. Nothing here allocates per round.
 */
public final class LoopWork {
    private final String loopName;
    private final ConcurrentLinkedQueue<Runnable> tasks = new ConcurrentLinkedQueue<>();
    // loop thread only below
    private final PriorityQueue<Timer> timers = new PriorityQueue<>();
    private long timerSequence;

    /** {@code loopName} ("event loop", "IOCP loop") for the message when a task throws. */
    public LoopWork(String loopName) {
        this.loopName = loopName;
    }

    /** Any thread: queues {@code task} for {@link #runTasks()}; the caller wakes the loop. */
    public void add(Runnable task) {
        tasks.add(task);
    }

    /** Whether a task waits: the loop then must not block in its wait call. */
    public boolean hasTasks() {
        return !tasks.isEmpty();
    }

    /** Loop thread: runs the queued tasks, also those queued while they run. */
    public void runTasks() {
        Runnable task;
        while ((task = tasks.poll()) != null) {
            runSafely(task);
        }
    }

    /**
     * Any thread: a timer that runs {@code task} on the loop after {@code delayNanos}. It joins the
     * heap on the loop thread, through {@code loop} (the loop's own execute, which wakes it).
     */
    public Timers.Timer schedule(long delayNanos, Runnable task, Executor loop) {
        Timer t = new Timer(System.nanoTime() + delayNanos, task);
        loop.execute(() -> {
            t.sequence = timerSequence++;
            timers.add(t);
        });
        return t;
    }

    /**
     * Loop thread: runs the due timers; returns the nanoseconds until the next one (> 0), or -1 if
     * none is left. The loop turns that into its wait call's timeout.
     */
    public long runTimers() {
        while (!timers.isEmpty()) {
            Timer t = timers.peek();
            if (t.cancelled) {
                timers.poll();
                continue;
            }
            long wait = t.deadline - System.nanoTime();
            if (wait > 0) {
                return wait;
            }
            timers.poll();
            runSafely(t.task);
        }
        return -1;
    }

    /** Runs {@code task}, logging what it throws: one failing task must not end the loop thread. */
    public void runSafely(Runnable task) {
        try {
            task.run();
        } catch (Throwable t) {
            Log.error("spawnkit: a task on the " + loopName + " threw", t);
        }
    }

    private static final class Timer implements Timers.Timer, Comparable<Timer> {
        final long deadline;
        final Runnable task;
        long sequence;
        volatile boolean cancelled;

        Timer(long deadline, Runnable task) {
            this.deadline = deadline;
            this.task = task;
        }

        @Override
        public void cancel() {
            cancelled = true;
        }

        @Override
        public int compareTo(Timer o) {
            int c = Long.compare(deadline - o.deadline, 0);
            return c != 0 ? c : Long.compare(sequence, o.sequence);
        }
    }
}
