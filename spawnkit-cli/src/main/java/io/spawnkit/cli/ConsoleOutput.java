package io.spawnkit.cli;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.function.Consumer;

/**
 * The one writer every line of {@code spawnkit run} goes through: helpers' lines and spawnkit's own.
 *
 * <p>Callers (the supervisor's thread, signal handlers, the main thread) format into a pending
 * buffer under one lock and return; a flusher thread swaps that buffer for an empty one and writes
 * it out, then flushes. So a quiet helper's line is shown at once, while under a flood of lines
 * the buffer fills during each write and one write carries many lines: a million lines cost a few
 * thousand writes, not a million. A caller waits only when a write is so slow that more than
 * {@value #HIGH_WATER} characters are pending: that stalls the supervisor's thread, which is the
 * back-pressure the helpers' pipes should feel.
 *
 * <p>A failed write (stdout closed, {@code spawnkit run | head}) is reported once, to
 * {@code onBroken} (by default on stderr); later lines are dropped.
 */
final class ConsoleOutput implements AutoCloseable {

    static final int HIGH_WATER = 1 << 20;

    private final LineFormatter formatter;
    private final Clock clock;
    private final ZoneId zone;
    private final OutputStream out;
    private final Thread flusher;
    private final Consumer<IOException> onBroken;

    private final Object lock = new Object();
    private StringBuilder pending = new StringBuilder(8192);
    private StringBuilder spare = new StringBuilder(8192);
    private boolean writing;
    private boolean closed;
    private boolean broken;

    private long cachedSecond = Long.MIN_VALUE;
    private String cachedTime = "";

    ConsoleOutput(OutputStream out, LineFormatter formatter, Clock clock) {
        this(out, formatter, clock, e -> System.err.println("spawnkit: cannot write to stdout (" + e.getMessage()
                + "); dropping further output"));
    }

    /** @param onBroken called once, on the flusher's thread, with the error of the first failed write */
    ConsoleOutput(OutputStream out, LineFormatter formatter, Clock clock, Consumer<IOException> onBroken) {
        this.onBroken = onBroken;
        this.out = out;
        this.formatter = formatter;
        this.clock = clock;
        this.zone = clock.getZone();
        this.flusher = Thread.ofPlatform().daemon().name("spawnkit-output").unstarted(this::flushLoop);
        flusher.start();
    }

    /** Queues one line of {@code name}; returns at once unless too much is pending. */
    void line(String name, LineFormatter.Kind kind, String text) {
        synchronized (lock) {
            if (closed || broken) {
                return;
            }
            while (pending.length() >= HIGH_WATER && writing && !broken && !closed) {
                try {
                    lock.wait();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break;
                }
            }
            boolean wasEmpty = pending.isEmpty();
            formatter.append(pending, time(), name, kind, text);
            if (wasEmpty) {
                lock.notifyAll();
            }
        }
    }

    /** A line of spawnkit's own, from {@code system}. */
    void system(String text) {
        line(LineFormatter.SYSTEM, LineFormatter.Kind.EVENT, text);
    }

    /** Waits until everything queued so far is written. */
    void flush() {
        synchronized (lock) {
            while ((!pending.isEmpty() || writing) && !broken) {
                try {
                    lock.wait();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }

    /** Writes what is queued and stops the flusher; later lines are dropped. */
    @Override
    public void close() {
        flush();
        synchronized (lock) {
            closed = true;
            lock.notifyAll();
        }
        try {
            flusher.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** {@code HH:MM:SS} now, formatted once per second. Under the lock. */
    private String time() {
        long millis = clock.millis();
        long second = Math.floorDiv(millis, 1000);
        if (second != cachedSecond) {
            LocalTime t = LocalTime.ofInstant(Instant.ofEpochMilli(millis), zone);
            cachedTime = two(t.getHour()) + ":" + two(t.getMinute()) + ":" + two(t.getSecond());
            cachedSecond = second;
        }
        return cachedTime;
    }

    private static String two(int n) {
        return n < 10 ? "0" + n : Integer.toString(n);
    }

    private void flushLoop() {
        while (true) {
            StringBuilder batch;
            synchronized (lock) {
                while (pending.isEmpty() && !closed) {
                    try {
                        lock.wait();
                    } catch (InterruptedException e) {
                        return;
                    }
                }
                if (pending.isEmpty()) {
                    return;
                }
                batch = pending;
                pending = spare;
                spare = batch;
                writing = true;
            }
            IOException failure = null;
            try {
                // One write per batch. toString and getBytes are plain array copies while the batch
                // is ASCII (Latin-1 strings): a char-by-char encoder over 16 KiB slices took more
                // CPU than the helpers' lines cost everywhere else on their way (bench/relay).
                out.write(batch.toString().getBytes(StandardCharsets.UTF_8));
                out.flush();
            } catch (IOException e) {
                failure = e;
            }
            synchronized (lock) {
                batch.setLength(0);
                if (batch.capacity() > 4 * HIGH_WATER) {
                    spare = new StringBuilder(8192);
                }
                writing = false;
                if (failure != null) {
                    broken = true;
                    pending.setLength(0);
                }
                lock.notifyAll();
            }
            if (failure != null) {
                onBroken.accept(failure);
                return;
            }
        }
    }
}
