package io.spawnkit.cli;

import io.spawnkit.supervisor.LineBytesListener;
import io.spawnkit.supervisor.LineListener;
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
 * <p>Callers (the supervisor's thread, signal handlers, the main thread) format a line, or the
 * {@link #relay()} a batch of lines, append it to a pending buffer under one lock and return; a
 * flusher thread swaps that buffer for an empty one and writes it out. So a quiet helper's line is
 * shown at once, while under a flood of lines the buffer fills during each write and one write
 * carries many lines: from the relay, at least a chunk's worth each. A caller waits only when a write is so slow that more than
 * {@value #HIGH_WATER} bytes are pending: that stalls the supervisor's thread, which is the
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
    private Bytes pending = new Bytes(1 << 16);
    private Bytes spare = new Bytes(1 << 16);
    /** Lines formatted by the relay and not yet queued: the relay's thread only. */
    private final Bytes relayBatch = new Bytes(1 << 17);
    /** The thread the relay's lines come on, once one has come. */
    private volatile Thread relayThread;
    private boolean writing;
    private boolean closed;
    private boolean broken;

    /** {@code HH:MM:SS} of the last second a line was formatted in: read and replaced by any thread. */
    private volatile Time time = new Time(Long.MIN_VALUE, new byte[0]);

    private record Time(long second, byte[] bytes) {}

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
        if (Thread.currentThread() == relayThread) {
            // an event of a helper (ready, exited) after the lines the relay still holds, never before
            queueRelayBatch();
        }
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        Bytes line = new Bytes(64 + bytes.length);
        formatter.append(line, time().bytes(), name, kind, bytes, 0, bytes.length);
        queue(p -> p.append(line));
    }

    /**
     * The listener that relays the helpers' lines: it formats them as bytes into a batch and queues
     * each batch in one go, one lock per chunk read instead of one per line, and no String per
     * line. Its calls come from the supervisor's thread only (the supervisor calls its listeners
     * there, one at a time); a {@link #line} from that thread queues the batch first, so an event
     * never overtakes its helper's lines.
     */
    LineBytesListener relay() {
        return new LineBytesListener() {
            /** The time of this batch's lines (they came in one read): one clock reading a batch. */
            private byte[] batchTime;

            @Override
            public void line(String helper, LineListener.Stream stream, byte[] bytes, int offset, int length) {
                if (relayThread == null) {
                    relayThread = Thread.currentThread();
                }
                if (batchTime == null) {
                    batchTime = time().bytes();
                }
                LineFormatter.Kind kind = stream == LineListener.Stream.STDERR
                        ? LineFormatter.Kind.STDERR : LineFormatter.Kind.STDOUT;
                formatter.append(relayBatch, batchTime, helper, kind, bytes, offset, length);
            }

            @Override
            public void endOfBatch() {
                batchTime = null;
                queueRelayBatch();
            }
        };
    }

    /** On the relay's thread: queues what the relay has formatted. */
    private void queueRelayBatch() {
        if (relayBatch.isEmpty()) {
            return;
        }
        queue(p -> p.append(relayBatch));
        relayBatch.clear();
    }

    /**
     * Appends to what the flusher writes next, waking it if it was idle; waits first while too much
     * is pending (see {@link #HIGH_WATER}); drops the bytes once closed or broken.
     */
    private void queue(Consumer<Bytes> append) {
        synchronized (lock) {
            if (!awaitRoom()) {
                return;
            }
            boolean wasEmpty = pending.isEmpty();
            append.accept(pending);
            if (wasEmpty) {
                lock.notifyAll();
            }
        }
    }

    /** Under the lock: waits while too much is pending; false when lines are to be dropped. */
    private boolean awaitRoom() {
        if (closed || broken) {
            return false;
        }
        while (pending.length() >= HIGH_WATER && writing && !broken && !closed) {
            try {
                lock.wait();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        return !closed && !broken;
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

    /** {@code HH:MM:SS} now, formatted once per second. */
    private Time time() {
        long millis = clock.millis();
        long second = Math.floorDiv(millis, 1000);
        Time t = time;
        if (t.second() != second) {
            LocalTime lt = LocalTime.ofInstant(Instant.ofEpochMilli(millis), zone);
            String text = two(lt.getHour()) + ":" + two(lt.getMinute()) + ":" + two(lt.getSecond());
            t = new Time(second, text.getBytes(StandardCharsets.US_ASCII));
            time = t;
        }
        return t;
    }

    private static String two(int n) {
        return n < 10 ? "0" + n : Integer.toString(n);
    }

    private void flushLoop() {
        while (true) {
            Bytes batch;
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
                // one write per batch, of bytes formatted as such (no char encoder on the way)
                batch.writeTo(out);
                out.flush();
            } catch (IOException e) {
                failure = e;
            }
            synchronized (lock) {
                batch.clear();
                if (batch.capacity() > 4 * HIGH_WATER) {
                    spare = new Bytes(1 << 16);
                }
                writing = false;
                if (failure != null) {
                    broken = true;
                    pending.clear();
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
