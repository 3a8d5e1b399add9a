package io.spawnkit.worker;

import io.spawnkit.worker.ChannelClosedException.Reason;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Flow;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;

/**
 * A message channel between a parent and its worker JVM: frames of bytes both ways, in order.
 *
 * <p><b>Framing.</b> Each message is a 4-byte big-endian length followed by that many bytes. A
 * frame over {@linkplain WorkerSpec#maxFrameSize(int) the maximum size} (64 MiB unless set) is
 * refused: {@link #send(byte[])} throws {@link IllegalArgumentException} before writing anything,
 * and a peer announcing one ends the channel with {@link Reason#FRAME_TOO_LARGE} (the stream
 * cannot be resynchronised). The stream ending on a frame boundary is the peer closing
 * ({@link Reason#PEER_CLOSED}); ending inside a frame is {@link Reason#TRUNCATED}.
 *
 * <p><b>Receiving</b>, one of two modes per channel, chosen by the first call:
 * <ul>
 * <li>blocking: {@link #receive()} / {@link #receive(Duration)} park the calling thread (virtual
 *     threads welcome) until a message comes; once the channel has ended and every message before
 *     the end has been taken, they throw {@link ChannelClosedException};</li>
 * <li>callbacks: {@link #onMessage(Consumer)} delivers each message, in order, one at a time, on a
 *     virtual thread of the channel's own.</li>
 * </ul>
 * Frames are taken off the pipe as they come into a queue bounded to {@value #QUEUE_BYTES} bytes
 * (at least one frame, whatever its size): when the receiver falls behind, reading pauses and the
 * peer's writes wait. Nothing is buffered without bound. In the parent the frames are parsed on
 * spawnkit's event loop as the bytes arrive; in the worker a reader thread of the channel's takes
 * them from its descriptor.
 *
 * <p><b>Sending</b> is thread-safe and a frame is never interleaved with another. {@link #send}
 * returns a future that completes once the frame is in the pipe: wait for it (or chain on it)
 * before sending more and memory stays bounded; {@link #sendBlocking(byte[])} does the waiting.
 * In the parent the write goes through spawnkit's event loop; in the worker it is a blocking write
 * in the calling thread (the future is complete when {@code send} returns).
 */
public final class Channel implements AutoCloseable {
    /** Bytes of received frames the queue holds before reading pauses. */
    public static final int QUEUE_BYTES = 4 << 20;
    /** Frames the queue holds before reading pauses (many tiny messages). */
    static final int QUEUE_FRAMES = 4096;
    /** The default maximum frame size: 64 MiB. */
    public static final int DEFAULT_MAX_FRAME = 64 << 20;
    /**
     * Messages of at least this many bytes are sent as two writes, the 4-byte header then the
     * caller's array itself, instead of being copied behind a header into a frame array first;
     * smaller ones as one frame array, one write (the pipe's reader wakes once per message).
     */
    static final int SPLIT_AT = 16 << 10;
    /** The reader thread's read-ahead: small frames come header and payload in one read. */
    static final int READ_AHEAD = 64 << 10;

    /**
     * Where frames are written: the parent's {@code WriteEnd}, or the worker's descriptor 4. The
     * channel calls it with its send lock held, one call at a time, a frame either whole or as its
     * header followed by its payload in two calls.
     */
    interface Sink {
        /**
         * Writes {@code bytes} (a whole frame, or a frame's header or payload) after everything
         * written before. The sink must not keep the array once the call returns: it copies what it
         * queues ({@code WriteEnd.write(byte[])} does) or writes it at once (the worker's blocking
         * stream). The array may be the caller's own message.
         */
        CompletableFuture<Void> write(byte[] bytes);

        /** Closes once what was written is out. */
        void close();
    }

    private final String name;
    /** The worker's descriptor, read by a reader thread; null in push mode (the parent). */
    private final InputStream in;
    /** Push mode: the pipe's demand, one chunk at a time; null with a reader thread. */
    private Flow.Subscription subscription;
    private final Sink out;
    private final int maxFrame;
    private final ReentrantLock lock = new ReentrantLock();
    /**
     * Held around every write to the sink and around its close: a frame written as header and
     * payload is never interleaved with another, nor cut by close(). Never taken with {@link #lock}.
     */
    private final ReentrantLock sendLock = new ReentrantLock();
    private final Condition notEmpty = lock.newCondition();
    private final Condition notFull = lock.newCondition();
    private final ArrayDeque<byte[]> queue = new ArrayDeque<>();
    private final CompletableFuture<Void> closed = new CompletableFuture<>();
    private long queuedBytes;
    /** Set when the reader has stopped; messages queued before it are still delivered. */
    private ChannelClosedException end;
    /** Written under the lock; volatile for writeFailed's look from the loop thread. */
    private volatile boolean closedLocally;
    /** Push mode: the parser stopped asking for chunks because the queue is over its bound. */
    private boolean paused;
    /** 0 undecided, 1 receive, 2 callbacks. */
    private int mode;
    /** True once onMessage() has started its delivery thread. */
    private boolean dispatching;

    Channel(String name, InputStream in, Sink out, int maxFrame, ThreadFactory readerThreads) {
        this.name = name;
        this.in = in;
        this.out = out;
        this.maxFrame = maxFrame;
        readerThreads.newThread(this::readLoop).start();
    }

    /**
     * A channel fed in push mode by {@code chunks} (the parent's {@code ReadEnd.publisher()}): frames
     * are parsed on the publisher's thread (the event loop) and queued without blocking it, one
     * chunk requested at a time, no more while the queue is over its bound. This saves the hand-over
     * loop -> blocking stream -> reader thread per message. Signals must come one at a time.
     */
    Channel(String name, Flow.Publisher<ByteBuffer> chunks, Sink out, int maxFrame) {
        this.name = name;
        this.in = null;
        this.out = out;
        this.maxFrame = maxFrame;
        chunks.subscribe(new FrameParser());
    }

    /** The largest frame this channel sends or accepts, in bytes. */
    public int maxFrameSize() {
        return maxFrame;
    }

    // ---- sending ----

    /**
     * Queues one message; the future completes once it is written, or fails with a
     * {@link ChannelClosedException} (channel closed, peer gone). The channel does not keep
     * {@code message}: it may be changed as soon as this returns.
     *
     * @throws IllegalArgumentException the message is over {@link #maxFrameSize()}
     */
    public CompletableFuture<Void> send(byte[] message) {
        return send(message, 0, message.length);
    }

    /** {@link #send(byte[])} of {@code length} bytes of {@code message} from {@code offset}. */
    public CompletableFuture<Void> send(byte[] message, int offset, int length) {
        Objects.checkFromIndexSize(offset, length, message.length);
        if (length > maxFrame) {
            throw new IllegalArgumentException(name + ": a message of " + length
                    + " bytes is over the channel's maximum frame size of " + maxFrame
                    + " bytes (WorkerSpec.maxFrameSize)");
        }
        lock.lock();
        try {
            if (closedLocally) {
                return CompletableFuture.failedFuture(
                        new ChannelClosedException(Reason.CLOSED, name + ": closed", null));
            }
        } finally {
            lock.unlock();
        }
        CompletableFuture<Void> f;
        try {
            f = write(message, offset, length);
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(writeFailed(e));
        }
        return f.handle((v, e) -> {
            if (e != null) {
                throw new java.util.concurrent.CompletionException(writeFailed(e));
            }
            return null;
        });
    }

    /**
     * Hands one frame to the sink. A whole array of {@link #SPLIT_AT} bytes or more goes as the
     * header, then the array itself (the sink copies it or writes it before returning): one copy
     * less than a frame array. The send lock keeps the two together.
     */
    private CompletableFuture<Void> write(byte[] message, int offset, int length) {
        boolean split = length >= SPLIT_AT && offset == 0 && length == message.length;
        byte[] frame = new byte[split ? 4 : 4 + length];
        ByteBuffer.wrap(frame).putInt(length);
        if (!split) {
            System.arraycopy(message, offset, frame, 4, length);
        }
        sendLock.lock();
        try {
            CompletableFuture<Void> f = out.write(frame);
            if (!split || f.isCompletedExceptionally()) {
                return f;
            }
            CompletableFuture<Void> payload = out.write(message);
            // a sink's writes complete in order, and a failure fails every later write
            return f.isDone() ? payload : CompletableFuture.allOf(f, payload);
        } finally {
            sendLock.unlock();
        }
    }

    private ChannelClosedException writeFailed(Throwable e) {
        while (e instanceof java.util.concurrent.CompletionException && e.getCause() != null) {
            e = e.getCause();
        }
        if (e instanceof ChannelClosedException c) {
            return c;
        }
        return new ChannelClosedException(closedLocally ? Reason.CLOSED : Reason.IO_ERROR,
                name + ": write failed: " + e.getMessage(), e);
    }

    /** Sends {@code value} encoded by {@code codec}. */
    public <T> CompletableFuture<Void> send(T value, Codec<T> codec) {
        return send(codec.encode(value));
    }

    /** Sends {@code text} as UTF-8. */
    public CompletableFuture<Void> sendString(String text) {
        return send(Codec.utf8().encode(text));
    }

    /** Sends one message and waits until it is written. */
    public void sendBlocking(byte[] message) throws ChannelClosedException, InterruptedException {
        try {
            send(message).get();
        } catch (ExecutionException e) {
            throw writeFailed(e.getCause()).rethrown();
        }
    }

    /** {@link #sendBlocking(byte[])} of {@code value} encoded by {@code codec}. */
    public <T> void sendBlocking(T value, Codec<T> codec) throws ChannelClosedException, InterruptedException {
        sendBlocking(codec.encode(value));
    }

    // ---- receiving ----

    /**
     * The next message, waiting for it as long as it takes.
     *
     * @throws ChannelClosedException the channel has ended and every earlier message was taken
     * @throws IllegalStateException the channel delivers through {@link #onMessage(Consumer)}
     */
    public byte[] receive() throws ChannelClosedException, InterruptedException {
        byte[] m;
        boolean resume;
        lock.lock();
        try {
            claim(1);
            while (queue.isEmpty() && end == null) {
                notEmpty.await();
            }
            m = take();
            resume = resumeDue();
        } finally {
            lock.unlock();
        }
        if (resume) {
            subscription.request(1);
        }
        return m;
    }

    /**
     * The next message, or empty when none came within {@code timeout}.
     *
     * @throws ChannelClosedException the channel has ended and every earlier message was taken
     */
    public Optional<byte[]> receive(Duration timeout) throws ChannelClosedException, InterruptedException {
        long nanos = timeout.toNanos();
        byte[] m;
        boolean resume;
        lock.lock();
        try {
            claim(1);
            while (queue.isEmpty() && end == null) {
                if (nanos <= 0) {
                    return Optional.empty();
                }
                nanos = notEmpty.awaitNanos(nanos);
            }
            m = take();
            resume = resumeDue();
        } finally {
            lock.unlock();
        }
        if (resume) {
            subscription.request(1);
        }
        return Optional.of(m);
    }

    /** {@link #receive()} decoded by {@code codec}. */
    public <T> T receive(Codec<T> codec) throws ChannelClosedException, InterruptedException {
        return codec.decode(receive());
    }

    /** {@link #receive()} as UTF-8 text. */
    public String receiveString() throws ChannelClosedException, InterruptedException {
        return receive(Codec.utf8());
    }

    /** Called with the lock held. */
    private byte[] take() throws ChannelClosedException {
        byte[] m = queue.poll();
        if (m == null) {
            throw end.rethrown();
        }
        queuedBytes -= m.length;
        notFull.signal();
        return m;
    }

    /**
     * Push mode, called with the lock held after a take: true when the parser paused and the queue
     * has drained to half its bound, so the caller asks for the next chunk (outside the lock). The
     * half keeps a steady flood from costing a resume of the loop per message.
     */
    private boolean resumeDue() {
        if (paused && queuedBytes <= QUEUE_BYTES / 2 && queue.size() <= QUEUE_FRAMES / 2) {
            paused = false;
            return true;
        }
        return false;
    }

    private void claim(int wanted) {
        if (mode != 0 && mode != wanted) {
            throw new IllegalStateException(name + ": " + (mode == 1
                    ? "receive() was used; onMessage() cannot be added"
                    : "messages go to onMessage(); receive() cannot be used"));
        }
        mode = wanted;
    }

    /**
     * Delivers every message (those already queued first) to {@code consumer}, in order, one call
     * at a time, on a virtual thread of this channel's. Reading pauses while the consumer falls
     * behind. When the consumer throws, the channel is closed and {@link #onClose()} fails with
     * what it threw. Can be set once, and not after {@link #receive()}.
     */
    public Channel onMessage(Consumer<byte[]> consumer) {
        Objects.requireNonNull(consumer);
        lock.lock();
        try {
            claim(2);
            if (mode == 2 && dispatching) {
                throw new IllegalStateException(name + ": onMessage() was set already");
            }
            dispatching = true;
        } finally {
            lock.unlock();
        }
        Thread.ofVirtual().name(name + " messages").start(() -> {
            while (true) {
                byte[] m;
                boolean resume;
                lock.lock();
                try {
                    while (queue.isEmpty() && end == null) {
                        notEmpty.awaitUninterruptibly();
                    }
                    if (queue.isEmpty()) {
                        break;
                    }
                    m = take();
                    resume = resumeDue();
                } catch (ChannelClosedException e) {
                    break;
                } finally {
                    lock.unlock();
                }
                if (resume) {
                    subscription.request(1);
                }
                try {
                    consumer.accept(m);
                } catch (Throwable t) {
                    close(); // in callback mode close() leaves onClose() to us
                    closed.completeExceptionally(t);
                    return;
                }
            }
            completeClosed();
        });
        return this;
    }

    /**
     * Completes when the channel has ended: normally on a clean end ({@link Reason#PEER_CLOSED},
     * {@link Reason#CLOSED}), with the {@link ChannelClosedException} otherwise. In callback mode
     * (when {@link #onMessage} was set before the end was read) it completes after the last message
     * was delivered; otherwise when the end is read: messages before it may still wait for
     * {@link #receive()}, or for an {@link #onMessage} set afterwards. It does not wait for them:
     * until one of the two is chosen nobody may ever take them, and the end must still be told
     * (a worker whose parent has gone is ended through it, busy task or not). To have it follow
     * the last delivery, set {@link #onMessage} before the peer can end: right after
     * {@link Worker#start}, or first thing in the task.
     */
    public CompletableFuture<Void> onClose() {
        return closed.copy();
    }

    private void completeClosed() {
        ChannelClosedException e;
        lock.lock();
        try {
            e = end;
        } finally {
            lock.unlock();
        }
        complete(e);
    }

    private void complete(ChannelClosedException e) {
        if (e == null || e.isClean()) {
            closed.complete(null);
        } else {
            closed.completeExceptionally(e);
        }
    }

    // ---- the reader ----

    private void readLoop() {
        ChannelClosedException stop;
        byte[] header = new byte[4];
        // reads ahead: a small frame's header and payload, written together, cost one read; a
        // payload of a buffer's worth or more is read straight into its array
        BufferedInputStream reader = new BufferedInputStream(in, READ_AHEAD);
        try {
            while (true) {
                int n = reader.readNBytes(header, 0, 4);
                if (n == 0) {
                    stop = new ChannelClosedException(Reason.PEER_CLOSED, name + ": the peer closed the channel", null);
                    break;
                }
                if (n < 4) {
                    stop = truncated(n, 4, "header");
                    break;
                }
                int length = ByteBuffer.wrap(header).getInt();
                if (length < 0 || length > maxFrame) {
                    stop = tooLarge(length);
                    break;
                }
                byte[] payload = new byte[length];
                int got = reader.readNBytes(payload, 0, length);
                if (got < length) {
                    stop = truncated(got, length, "payload");
                    break;
                }
                if (!enqueue(payload)) {
                    stop = null;
                    break;
                }
            }
        } catch (IOException | RuntimeException e) {
            stop = new ChannelClosedException(Reason.IO_ERROR, name + ": read failed: " + e, e);
        }
        ended(stop);
        try {
            in.close();
        } catch (IOException ignored) {
            // nothing more to read either way
        }
    }

    /** The reading has stopped with {@code stop} (null: closed locally); ends the channel. */
    private void ended(ChannelClosedException stop) {
        // onClose() completes before receivers see the end: one who caught the exception finds
        // the future done
        ChannelClosedException last;
        boolean callbacks;
        lock.lock();
        try {
            last = end != null ? end
                    : closedLocally || stop == null ? new ChannelClosedException(Reason.CLOSED, name + ": closed", null)
                    : stop;
            callbacks = mode == 2;
        } finally {
            lock.unlock();
        }
        if (!callbacks) {
            complete(last);
        }
        lock.lock();
        try {
            if (end == null) {
                end = last;
            }
            notEmpty.signalAll();
        } finally {
            lock.unlock();
        }
    }

    private ChannelClosedException tooLarge(int length) {
        return new ChannelClosedException(Reason.FRAME_TOO_LARGE, name + ": the peer sent a frame of "
                + Integer.toUnsignedString(length) + " bytes, over the maximum of " + maxFrame
                + " bytes; reading stopped", null);
    }

    private ChannelClosedException truncated(int got, int wanted, String part) {
        return new ChannelClosedException(Reason.TRUNCATED, name + ": the stream ended in the middle of a frame's "
                + part + " (" + got + " of " + wanted + " bytes)", null);
    }

    /** False once the channel was closed locally. */
    private boolean enqueue(byte[] payload) throws IOException {
        lock.lock();
        try {
            while (!closedLocally && !queue.isEmpty()
                    && (queuedBytes + payload.length > QUEUE_BYTES || queue.size() >= QUEUE_FRAMES)) {
                notFull.awaitUninterruptibly();
            }
            if (closedLocally) {
                return false;
            }
            queue.add(payload);
            queuedBytes += payload.length;
            notEmpty.signal();
            return true;
        } finally {
            lock.unlock();
        }
    }

    /** Where this channel's frames go (tests write bad frames through it, behind the framing). */
    Sink sink() {
        return out;
    }

    /** True once {@link #close()} was called here (WorkerMain's parent watch). */
    boolean closedHere() {
        lock.lock();
        try {
            return closedLocally;
        } finally {
            lock.unlock();
        }
    }

    /** Why the channel ended, or null while it runs (onClose() may complete just before it is set). */
    Reason endReason() {
        lock.lock();
        try {
            return end == null ? null : end.reason();
        } finally {
            lock.unlock();
        }
    }

    /** True once the channel has ended and nothing is left to receive. */
    public boolean isClosed() {
        lock.lock();
        try {
            return end != null && queue.isEmpty();
        } finally {
            lock.unlock();
        }
    }

    /**
     * Closes both directions: frames already handed to {@code send} are still written, then the
     * peer reads the end of the stream; messages not yet received are dropped and receivers get
     * {@link ChannelClosedException} ({@link Reason#CLOSED}). Idempotent.
     */
    @Override
    public void close() {
        boolean callbacks;
        lock.lock();
        try {
            if (closedLocally) {
                return;
            }
            closedLocally = true;
            callbacks = mode == 2;
            queue.clear();
            queuedBytes = 0;
            if (end == null) {
                end = new ChannelClosedException(Reason.CLOSED, name + ": closed", null);
            }
            notEmpty.signalAll();
            notFull.signalAll();
        } finally {
            lock.unlock();
        }
        sendLock.lock();
        try {
            out.close();
        } finally {
            sendLock.unlock();
        }
        if (in == null) {
            // the publisher signals nothing more once cancelled: the end is the one set above
            subscription.cancel();
        } else {
            try {
                in.close();
            } catch (IOException ignored) {
                // the reader stops either way
            }
        }
        if (!callbacks) {
            completeClosed();
        }
    }

    @Override
    public String toString() {
        return name;
    }

    /**
     * Push mode: the frame parser, fed chunk by chunk on the publisher's thread. A header or a
     * payload may be cut at any byte between chunks, so both are gathered across calls (the chunk
     * is copied out: it is not ours after the call). Complete frames are queued at once, never
     * waiting for room: a chunk (up to 64 KiB) may take the queue past its bound, and then no next
     * chunk is requested until a receiver has drained it to half ({@link #resumeDue()}). The same
     * ends as the reader thread's: PEER_CLOSED at a frame boundary, TRUNCATED inside one,
     * FRAME_TOO_LARGE, IO_ERROR.
     */
    private final class FrameParser implements Flow.Subscriber<ByteBuffer> {
        private final byte[] header = new byte[4];
        private int headerGot;
        /** The frame being gathered once its header is whole; null between frames. */
        private byte[] payload;
        private int payloadGot;
        private boolean stopped;

        @Override
        public void onSubscribe(Flow.Subscription s) {
            lock.lock();
            try {
                subscription = s;
            } finally {
                lock.unlock();
            }
            s.request(1);
        }

        @Override
        public void onNext(ByteBuffer chunk) {
            if (stopped) {
                return;
            }
            ChannelClosedException stop;
            try {
                stop = parse(chunk);
            } catch (RuntimeException | OutOfMemoryError e) {
                stop = new ChannelClosedException(Reason.IO_ERROR, name + ": read failed: " + e, e);
            }
            if (stop != null) {
                stopped = true;
                subscription.cancel();
                end(stop);
                return;
            }
            boolean more;
            lock.lock();
            try {
                if (closedLocally) {
                    return; // close() cancelled the subscription
                }
                paused = queuedBytes >= QUEUE_BYTES || queue.size() >= QUEUE_FRAMES;
                more = !paused;
            } finally {
                lock.unlock();
            }
            if (more) {
                subscription.request(1);
            }
        }

        /** Queues the frames {@code chunk} completes; non-null when reading must stop. */
        private ChannelClosedException parse(ByteBuffer chunk) {
            while (chunk.hasRemaining()) {
                if (payload == null) {
                    int take = Math.min(4 - headerGot, chunk.remaining());
                    chunk.get(header, headerGot, take);
                    headerGot += take;
                    if (headerGot < 4) {
                        return null;
                    }
                    int length = ByteBuffer.wrap(header).getInt();
                    if (length < 0 || length > maxFrame) {
                        return tooLarge(length);
                    }
                    headerGot = 0;
                    payload = new byte[length];
                    payloadGot = 0;
                }
                int take = Math.min(payload.length - payloadGot, chunk.remaining());
                chunk.get(payload, payloadGot, take);
                payloadGot += take;
                if (payloadGot == payload.length) {
                    byte[] frame = payload;
                    payload = null;
                    if (!offer(frame)) {
                        stopped = true;
                        return null;
                    }
                }
            }
            return null;
        }

        /** Queues a frame without waiting for room; false once the channel was closed locally. */
        private boolean offer(byte[] frame) {
            lock.lock();
            try {
                if (closedLocally) {
                    return false;
                }
                queue.add(frame);
                queuedBytes += frame.length;
                notEmpty.signal();
                return true;
            } finally {
                lock.unlock();
            }
        }

        @Override
        public void onError(Throwable e) {
            if (!stopped) {
                stopped = true;
                end(new ChannelClosedException(Reason.IO_ERROR, name + ": read failed: " + e, e));
            }
        }

        @Override
        public void onComplete() {
            if (stopped) {
                return;
            }
            stopped = true;
            if (payload != null) {
                end(truncated(payloadGot, payload.length, "payload"));
            } else if (headerGot > 0) {
                end(truncated(headerGot, 4, "header"));
            } else {
                end(new ChannelClosedException(Reason.PEER_CLOSED, name + ": the peer closed the channel", null));
            }
        }

        /**
         * Ends the channel off the publisher's thread: completing onClose() runs its dependents
         * (the caller's code) on the completing thread, which must not be the event loop.
         */
        private void end(ChannelClosedException stop) {
            Thread.ofVirtual().name(name + " end").start(() -> ended(stop));
        }
    }
}
