package io.spawnkit;

import io.spawnkit.internal.ByteSink;
import io.spawnkit.internal.ByteSource;
import io.spawnkit.internal.Cleanup;
import io.spawnkit.internal.LineSplitter;
import io.spawnkit.internal.Timers;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.ReadableByteChannel;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Objects;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.Flow;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;

/**
 * Our end of a pipe the child writes to (its stdout, stderr, or another descriptor).
 *
 * <p>Choose exactly one way to consume it; a second choice throws {@link IllegalStateException}.
 * Every way is backpressured: while the consumer is behind, reading of this pipe pauses (the
 * child then blocks in write), so nothing is buffered without bound.
 * <ul>
 *   <li>callbacks: {@link #onData(Consumer)}, {@link #onLine(Consumer)} run on the event-loop thread
 *       (do not block there: every child's I/O waits for you), or on an executor you give;
 *   <li>{@link #publisher()}: a {@link Flow.Publisher} that reads as much as was requested;
 *   <li>{@link #inputStream()} and {@link #channel()}: blocking reads that park the calling thread
 *       (virtual threads welcome);
 *   <li>{@link #readAllBytes()}, {@link #readAllText()} and {@link #discard()}.
 * </ul>
 * If nobody consumes a pipe, the child blocks once the pipe's buffer is full, as with
 * {@link ProcessBuilder}. After the child exits, the pipe is still read to its end.
 */
public final class ReadEnd {
    /** Lines longer than this are delivered in pieces of this many bytes. */
    public static final int MAX_LINE_BYTES = 1 << 20;
    /** Chunks read ahead of an executor's delivery before reading pauses (backpressure). */
    static final int CHUNKS_IN_FLIGHT = 8;
    private static final int STREAM_HIGH_WATER = 256 * 1024;

    private final ByteSource source;
    /** Names the stream in messages; its text is built only when one is needed. */
    private final Object name;
    private final AtomicBoolean claimed = new AtomicBoolean();
    private final CompletableFuture<Void> done = new CompletableFuture<>();
    /** The backend's timers (idle flush of a partial line). */
    private final Timers timers;

    /** A stream without timers (benchmarks, tests): the idle flush of a partial line is refused. */
    ReadEnd(ByteSource source, Object name) {
        this(source, name, null);
    }

    ReadEnd(ByteSource source, Object name, Timers timers) {
        this.source = source;
        this.name = name;
        this.timers = timers;
        // a started source is reachable from the loop through its sink (which refers to this), so
        // this runs only for an end never consumed, or already ended
        Cleanup.register(this, source::close);
    }

    /** Completes when the stream has ended and the consumer has had every byte. */
    public CompletableFuture<Void> done() {
        return done.copy();
    }

    /**
     * Delivers every chunk to {@code consumer} on the event-loop thread. The buffer is readable only
     * during the call: copy what you keep. Reading waits while the consumer runs.
     */
    public ReadEnd onData(Consumer<ByteBuffer> consumer) {
        Objects.requireNonNull(consumer, "consumer");
        start("onData", new ByteSink() {
            @Override
            public boolean onData(ByteBuffer data) {
                consumer.accept(data);
                return true;
            }

            @Override
            public void onEnd(IOException error) {
                finish(error);
            }
        });
        return this;
    }

    /**
     * Delivers copies of the chunks to {@code consumer} on {@code executor}, one at a time and in
     * order; reading pauses until each call returns.
     */
    public ReadEnd onData(Consumer<ByteBuffer> consumer, Executor executor) {
        Objects.requireNonNull(consumer, "consumer");
        startOnExecutor("onData", consumer, () -> { }, executor);
        return this;
    }

    /**
     * Delivers each line (UTF-8, without its {@code \n} or {@code \r\n}) on the event-loop thread;
     * a last line without a newline is delivered at the end of the stream.
     */
    public ReadEnd onLine(Consumer<String> consumer) {
        return onLine(consumer, StandardCharsets.UTF_8);
    }

    /** {@link #onLine(Consumer)} in {@code charset}. */
    public ReadEnd onLine(Consumer<String> consumer, Charset charset) {
        Objects.requireNonNull(consumer, "consumer");
        LineSplitter lines = new LineSplitter(consumer, charset, MAX_LINE_BYTES);
        start("onLine", new ByteSink() {
            @Override
            public boolean onData(ByteBuffer data) {
                lines.feed(data);
                return true;
            }

            @Override
            public void onEnd(IOException error) {
                try {
                    lines.end();
                } finally {
                    finish(error);
                }
            }
        });
        return this;
    }

    /**
     * {@link #onLine(Consumer)}, and a partial line (a prompt such as {@code "Password: "}, a
     * progress dot) is delivered once the stream has been silent for {@code idleFlush}; what follows
     * it is then delivered as a new line. Lines are delivered on the event-loop thread or, on the
     * JDK fallback backend, on the stream's reader thread or the backend's timer thread, one call at
     * a time and in order.
     *
     * <p>Silence is measured from the last chunk read: a stream that keeps writing without a newline
     * is shown in pieces of {@link #MAX_LINE_BYTES} only. {@link Duration#ZERO} shows a partial line
     * as soon as a read leaves one, so a line written in two pieces may be cut in two; a pause of
     * 100 to 500 ms keeps lines whole in practice while a prompt still shows without delay a human
     * notices.
     *
     * @param idleFlush how long a partial line waits for the rest of it; not negative
     */
    public ReadEnd onLine(Consumer<String> consumer, Duration idleFlush) {
        Objects.requireNonNull(consumer, "consumer");
        start("onLine", new IdleFlushingLines(stringLines(consumer), () -> { }, idleNanos(idleFlush),
                Runnable::run));
        return this;
    }

    private static LineSplitter stringLines(Consumer<String> consumer) {
        return new LineSplitter(consumer, StandardCharsets.UTF_8, MAX_LINE_BYTES);
    }

    /**
     * Receives lines as bytes (without a String per line), a batch at a time: the lines of one
     * chunk read, or a partial line shown after the idle pause, then {@link #endOfBatch()}.
     */
    public interface LineBytes {
        /**
         * One line, without its {@code \n} or {@code \r\n}: {@code length} bytes of
         * {@code bytes} from {@code offset}. Valid only during the call: the array is reused.
         */
        void line(byte[] bytes, int offset, int length);

        /** After the last line of a batch: a consumer that buffers can hand its batch on here. */
        default void endOfBatch() {}
    }

    /**
     * {@link #onLine(Consumer, Duration, Executor)} with the lines as bytes, for consumers that
     * copy them on (a relay to a terminal or a file) and need no String per line: the same framing
     * ({@code \n}, a {@code \r} before it dropped, lines cut at {@link #MAX_LINE_BYTES}), the
     * same idle flush, executor and backpressure.
     */
    public ReadEnd onLineBytes(LineBytes consumer, Duration idleFlush, Executor executor) {
        Objects.requireNonNull(consumer, "consumer");
        Objects.requireNonNull(executor, "executor");
        LineSplitter lines = new LineSplitter(consumer::line, MAX_LINE_BYTES);
        startOnExecutor(new IdleFlushingLines(lines, consumer::endOfBatch, idleNanos(idleFlush), executor),
                executor);
        return this;
    }

    /**
     * {@link #onLine(Consumer, Duration)} with the lines delivered on {@code executor}, and
     * backpressure: once {@value #CHUNKS_IN_FLIGHT} chunks read (up to 64 KiB each) wait for
     * delivery, reading pauses until the consumer has caught up, so a child that writes faster than
     * the consumer takes its lines waits in {@code write}, instead of the lines piling up in memory.
     * (A pause after every chunk cost a hand-over to the event loop per chunk: a quarter of the
     * consumer thread's time when {@code spawnkit run} relayed a flood of lines.) A partial line
     * shown after the idle pause is delivered on {@code executor} too. The executor should run one
     * task at a time, in order (a single thread): the lines of one chunk are delivered by one task,
     * and never two tasks at once.
     */
    public ReadEnd onLine(Consumer<String> consumer, Duration idleFlush, Executor executor) {
        Objects.requireNonNull(consumer, "consumer");
        Objects.requireNonNull(executor, "executor");
        startOnExecutor(new IdleFlushingLines(stringLines(consumer), () -> { }, idleNanos(idleFlush), executor),
                executor);
        return this;
    }

    /**
     * Hands copies of the chunks to {@code onChunk} on {@code executor}, one task per chunk, in
     * order, then the end to {@code onEnd} there too (which must {@link #finish} the stream). Up to
     * {@code readAhead} chunks may wait for delivery; then reading pauses until the consumer has
     * caught up (1: a pause after every chunk). With {@code recycle}, for a consumer that keeps
     * nothing of a chunk once it has returned, the copies go into buffers used again while chunks
     * keep coming; once the consumer has caught up, they are let go.
     */
    private void startOnExecutor(String how, Consumer<ByteBuffer> onChunk, Consumer<IOException> onEnd,
            Executor executor, int readAhead, boolean recycle) {
        Objects.requireNonNull(executor, "executor");
        AtomicInteger inFlight = new AtomicInteger();
        AtomicBoolean paused = new AtomicBoolean();
        // buffers a consumer that keeps nothing has given back, during a flood (at most readAhead)
        Queue<ByteBuffer> spare = recycle ? new ConcurrentLinkedQueue<>() : null;
        start(how, new ByteSink() {
            @Override
            public boolean onData(ByteBuffer data) {
                ByteBuffer copy = spare == null ? null : spare.poll();
                if (copy == null || copy.capacity() < data.remaining()) {
                    copy = ByteBuffer.allocate(data.remaining());
                }
                copy.clear().put(data).flip();
                ByteBuffer chunk = copy;
                int queued = inFlight.incrementAndGet();
                executor.execute(() -> {
                    try {
                        onChunk.accept(chunk);
                        if (spare != null) {
                            // kept while chunks keep coming (a flood), dropped once the consumer has
                            // caught up: a quiet stream holds no buffer
                            if (inFlight.get() > 1) {
                                spare.offer(chunk);
                            } else {
                                spare.clear();
                            }
                        }
                    } finally {
                        // the one that turns paused off resumes: exactly once per pause
                        if (inFlight.decrementAndGet() < readAhead && paused.compareAndSet(true, false)) {
                            source.resume();
                        }
                    }
                });
                if (queued < readAhead) {
                    return true;
                }
                // Pause, unless the consumer caught up between the count and the flag: it only
                // resumes a pause it sees, so a pause it cannot see any more is taken back here.
                paused.set(true);
                return inFlight.get() < readAhead && paused.compareAndSet(true, false);
            }

            @Override
            public void onEnd(IOException error) {
                executor.execute(() -> onEnd.accept(error));
            }
        });
    }

    /** {@link #startOnExecutor} for a consumer with a plain end: {@code atEnd}, then the stream finished. */
    private void startOnExecutor(String how, Consumer<ByteBuffer> onChunk, Runnable atEnd, Executor executor) {
        startOnExecutor(how, onChunk, error -> {
            try {
                atEnd.run();
            } finally {
                finish(error);
            }
        }, executor, 1, false);
    }

    /**
     * Idle-flushing lines on {@code executor}, {@link #CHUNKS_IN_FLIGHT} chunks read ahead, in
     * buffers used again (the splitter copies what it keeps of a chunk).
     */
    private void startOnExecutor(IdleFlushingLines lines, Executor executor) {
        startOnExecutor("onLine", lines::onData, lines::onEnd, executor, CHUNKS_IN_FLIGHT, true);
    }

    private static long idleNanos(Duration idleFlush) {
        if (idleFlush.isNegative()) {
            throw new IllegalArgumentException("negative idle flush: " + idleFlush);
        }
        try {
            return idleFlush.toNanos();
        } catch (ArithmeticException tooLong) {
            return Long.MAX_VALUE / 4; // centuries: never, in practice
        }
    }

    /** {@link #onLine(Consumer)} with the lines delivered on {@code executor}, in order. */
    public ReadEnd onLine(Consumer<String> consumer, Executor executor) {
        Objects.requireNonNull(consumer, "consumer");
        LineSplitter lines = new LineSplitter(consumer, StandardCharsets.UTF_8, MAX_LINE_BYTES);
        startOnExecutor("onLine", lines::feed, lines::end, executor);
        return this;
    }

    /**
     * A publisher of the stream's chunks (fresh heap buffers). One subscriber; reading follows its
     * demand. Signals are delivered on the event-loop thread.
     */
    public Flow.Publisher<ByteBuffer> publisher() {
        return subscriber -> {
            Objects.requireNonNull(subscriber, "subscriber");
            if (!claimed.compareAndSet(false, true)) {
                subscriber.onSubscribe(new Flow.Subscription() {
                    @Override
                    public void request(long n) {}

                    @Override
                    public void cancel() {}
                });
                subscriber.onError(new IllegalStateException(name + " already has a consumer"));
                return;
            }
            new PublisherBridge(subscriber).subscribe();
        };
    }

    /**
     * A blocking stream over the pipe. Reads park the calling thread until data or the end comes;
     * closing it stops reading and closes the pipe.
     */
    public InputStream inputStream() {
        StreamBridge bridge = new StreamBridge();
        start("inputStream", bridge);
        return bridge;
    }

    /** {@link #inputStream()} as a channel. */
    public ReadableByteChannel channel() {
        return Channels.newChannel(inputStream());
    }

    /** Reads everything to the end of the stream. */
    public CompletableFuture<byte[]> readAllBytes() {
        return capture(Long.MAX_VALUE).thenApply(Captured::bytes);
    }

    /** Reads everything to the end of the stream, as UTF-8 text. */
    public CompletableFuture<String> readAllText() {
        return readAllBytes().thenApply(b -> new String(b, StandardCharsets.UTF_8));
    }

    /** Reads and drops everything, so that the child never blocks on this pipe. */
    public CompletableFuture<Void> discard() {
        onData(data -> data.position(data.limit()));
        return done();
    }

    /** What {@link #capture(long)} gathered. */
    record Captured(byte[] bytes, boolean truncated) {}

    /** Reads to the end, keeping at most {@code limit} bytes (the rest is read and dropped). */
    CompletableFuture<Captured> capture(long limit) {
        CompletableFuture<Captured> result = new CompletableFuture<>();
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        boolean[] truncated = {false};
        start("readAllBytes", new ByteSink() {
            @Override
            public boolean onData(ByteBuffer data) {
                int n = data.remaining();
                int keep = (int) Math.min(n, Math.max(0, Math.min(Integer.MAX_VALUE - 16, limit) - buf.size()));
                if (keep < n) {
                    truncated[0] = true;
                }
                if (data.hasArray()) {
                    buf.write(data.array(), data.arrayOffset() + data.position(), keep);
                } else {
                    byte[] tmp = new byte[keep];
                    data.get(data.position(), tmp);
                    buf.write(tmp, 0, keep);
                }
                data.position(data.limit());
                return true;
            }

            @Override
            public void onEnd(IOException error) {
                finish(error);
                if (error != null) {
                    result.completeExceptionally(error);
                } else {
                    result.complete(new Captured(buf.toByteArray(), truncated[0]));
                }
            }
        });
        return result;
    }

    /** Hands the descriptor over to another child (pipelines). */
    int detachForChild() {
        if (!claimed.compareAndSet(false, true)) {
            throw new IllegalStateException(name + " already has a consumer; it cannot become another child's input");
        }
        int fd;
        try {
            fd = source.detach();
        } catch (RuntimeException e) {
            claimed.set(false); // still ours to read
            throw e;
        }
        done.complete(null);
        return fd;
    }

    /** Stops reading and closes our end. */
    void close() {
        source.close();
    }

    private void start(String how, ByteSink sink) {
        if (!claimed.compareAndSet(false, true)) {
            throw new IllegalStateException(name + " already has a consumer; cannot add " + how);
        }
        source.start(sink);
    }

    private void finish(IOException error) {
        if (error == null) {
            done.complete(null);
        } else {
            done.completeExceptionally(error);
        }
    }

    @Override
    public String toString() {
        return name.toString();
    }

    /**
     * Lines with an idle flush. One timer at most is pending per stream: when it fires early (more
     * bytes came since it was set) it sets itself again for the rest of the pause, so a chatty
     * stream without newlines does not fill the timer queue with cancelled timers.
     *
     * <p>The lock: on the native backend reads and timers both run on the event-loop thread, but
     * on the JDK backend reads come from the stream's reader thread and timers from the backend's
     * timer thread; the splitter is not thread-safe, and the consumer must see one line at a time.
     */
    private final class IdleFlushingLines implements ByteSink {
        private final ReentrantLock lock = new ReentrantLock();
        private final LineSplitter lines;
        private final Runnable endOfBatch;
        private final long idleNanos;
        /** Where the idle flush runs: at once on the timer's thread, or on the consumer's executor. */
        private final Executor flushOn;
        private long lastData;
        private Timers.Timer timer;
        private boolean ended;

        IdleFlushingLines(LineSplitter lines, Runnable endOfBatch, long idleNanos, Executor flushOn) {
            this.lines = lines;
            this.endOfBatch = endOfBatch;
            this.idleNanos = idleNanos;
            this.flushOn = flushOn;
        }

        private Timers.Timer scheduleIdle(long nanos) {
            if (timers == null) {
                throw new IllegalStateException(name + " has no timers for an idle flush");
            }
            return timers.schedule(nanos, () -> flushOn.execute(this::idle));
        }

        @Override
        public boolean onData(ByteBuffer data) {
            lock.lock();
            try {
                lines.feed(data);
                endOfBatch.run();
                if (lines.hasPartialLine()) {
                    lastData = System.nanoTime();
                    if (timer == null) {
                        timer = scheduleIdle(idleNanos);
                    }
                }
            } finally {
                lock.unlock();
            }
            return true;
        }

        private void idle() {
            lock.lock();
            try {
                timer = null;
                if (ended || !lines.hasPartialLine()) {
                    return;
                }
                long wait = lastData + idleNanos - System.nanoTime();
                if (wait > 0) {
                    timer = scheduleIdle(wait);
                    return;
                }
                lines.flushPartial();
                endOfBatch.run();
            } finally {
                lock.unlock();
            }
        }

        @Override
        public void onEnd(IOException error) {
            lock.lock();
            try {
                ended = true;
                if (timer != null) {
                    timer.cancel();
                    timer = null;
                }
                lines.end();
                endOfBatch.run();
            } finally {
                lock.unlock();
                finish(error);
            }
        }
    }

    /** Chunks handed from the loop to blocking readers, bounded by {@link #STREAM_HIGH_WATER}. */
    private final class StreamBridge extends InputStream implements ByteSink {
        private final ReentrantLock lock = new ReentrantLock();
        private final Condition ready = lock.newCondition();
        private final ArrayDeque<byte[]> chunks = new ArrayDeque<>();
        private int headOffset;
        private long queued;
        private boolean paused;
        private boolean ended;
        private boolean closed;
        private IOException error;

        @Override
        public boolean onData(ByteBuffer data) {
            byte[] copy = new byte[data.remaining()];
            data.get(copy);
            lock.lock();
            try {
                if (closed) {
                    return true;
                }
                chunks.add(copy);
                queued += copy.length;
                ready.signalAll();
                paused = queued >= STREAM_HIGH_WATER;
                return !paused;
            } finally {
                lock.unlock();
            }
        }

        @Override
        public void onEnd(IOException e) {
            lock.lock();
            try {
                ended = true;
                error = e;
                ready.signalAll();
            } finally {
                lock.unlock();
            }
            if (e == null || closed) {
                done.complete(null);
            } else {
                done.completeExceptionally(e);
            }
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            int n = read(one, 0, 1);
            return n < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            Objects.checkFromIndexSize(off, len, b.length);
            if (len == 0) {
                return 0;
            }
            boolean resume = false;
            int n = 0;
            lock.lock();
            try {
                while (chunks.isEmpty() && !ended && !closed) {
                    try {
                        ready.await();
                    } catch (InterruptedException ie) {
                        Thread.currentThread().interrupt();
                        throw new InterruptedIOException("interrupted while reading " + name);
                    }
                }
                if (closed) {
                    throw new IOException(name + ": stream closed");
                }
                while (n < len && !chunks.isEmpty()) {
                    byte[] head = chunks.peek();
                    int take = Math.min(len - n, head.length - headOffset);
                    System.arraycopy(head, headOffset, b, off + n, take);
                    n += take;
                    headOffset += take;
                    if (headOffset == head.length) {
                        chunks.poll();
                        headOffset = 0;
                    }
                }
                queued -= n;
                if (n == 0) {
                    if (error != null) {
                        throw new IOException(name + ": " + error.getMessage(), error);
                    }
                    return -1;
                }
                if (paused && queued < STREAM_HIGH_WATER / 2) {
                    paused = false;
                    resume = true;
                }
            } finally {
                lock.unlock();
            }
            if (resume) {
                source.resume();
            }
            return n;
        }

        @Override
        public int available() {
            lock.lock();
            try {
                return (int) Math.min(Integer.MAX_VALUE, queued);
            } finally {
                lock.unlock();
            }
        }

        @Override
        public void close() {
            lock.lock();
            try {
                if (closed) {
                    return;
                }
                closed = true;
                chunks.clear();
                queued = 0;
                ready.signalAll();
            } finally {
                lock.unlock();
            }
            source.close();
        }
    }

    /** A Flow subscription whose demand opens and closes the pipe's reading. */
    private final class PublisherBridge implements Flow.Subscription, ByteSink {
        private final Flow.Subscriber<? super ByteBuffer> subscriber;
        private final AtomicLong demand = new AtomicLong();
        private final AtomicBoolean started = new AtomicBoolean();
        private volatile boolean cancelled;

        PublisherBridge(Flow.Subscriber<? super ByteBuffer> subscriber) {
            this.subscriber = subscriber;
        }

        void subscribe() {
            subscriber.onSubscribe(this);
        }

        @Override
        public void request(long n) {
            if (cancelled) {
                return;
            }
            if (n <= 0) {
                cancel();
                subscriber.onError(new IllegalArgumentException("Flow rule 3.9: request(" + n + ")"));
                return;
            }
            long before = demand.getAndAccumulate(n, (a, b) -> a + b < 0 ? Long.MAX_VALUE : a + b);
            if (started.compareAndSet(false, true)) {
                source.start(this);
            } else if (before == 0) {
                source.resume();
            }
        }

        @Override
        public void cancel() {
            if (!cancelled) {
                cancelled = true;
                source.close();
            }
        }

        @Override
        public boolean onData(ByteBuffer data) {
            if (cancelled) {
                return true;
            }
            ByteBuffer copy = ByteBuffer.allocate(data.remaining()).put(data).flip();
            subscriber.onNext(copy);
            return demand.decrementAndGet() > 0;
        }

        @Override
        public void onEnd(IOException error) {
            finish(cancelled ? null : error);
            if (cancelled) {
                return;
            }
            if (error == null) {
                subscriber.onComplete();
            } else {
                subscriber.onError(error);
            }
        }
    }
}
