package io.spawnkit.worker;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.spawnkit.worker.ChannelClosedException.Reason;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Flow;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The channel's framing, queue and ends, over in-memory streams: no processes. */
class ChannelTest {
    /** Records the writes (copies, as a sink must: the array may be the caller's), and which arrays they came in. */
    private static final class Frames implements Channel.Sink {
        final List<byte[]> written = new ArrayList<>();
        final List<byte[]> arrays = new ArrayList<>();
        final ByteArrayOutputStream stream = new ByteArrayOutputStream();
        boolean closed;

        @Override
        public synchronized CompletableFuture<Void> write(byte[] bytes) {
            written.add(bytes.clone());
            arrays.add(bytes);
            stream.writeBytes(bytes);
            return CompletableFuture.completedFuture(null);
        }

        @Override
        public synchronized void close() {
            closed = true;
        }
    }

    private final List<Thread> readers = new ArrayList<>();

    private Channel channel(InputStream in, Channel.Sink out, int maxFrame) {
        return new Channel("test channel", in, out, maxFrame, r -> {
            Thread t = new Thread(r, "test channel reader");
            t.setDaemon(true);
            readers.add(t);
            return t;
        });
    }

    private static byte[] frames(byte[]... payloads) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        for (byte[] p : payloads) {
            b.writeBytes(ByteBuffer.allocate(4).putInt(p.length).array());
            b.writeBytes(p);
        }
        return b.toByteArray();
    }

    @Test
    void framesAreReadInOrderThenTheCleanEnd() throws Exception {
        Channel c = channel(new ByteArrayInputStream(frames(new byte[0], "abc".getBytes(), new byte[] {1, 2})), new Frames(), 1024);
        assertArrayEquals(new byte[0], c.receive());
        assertEquals("abc", c.receiveString());
        assertArrayEquals(new byte[] {1, 2}, c.receive(Duration.ofSeconds(60)).orElseThrow());
        ChannelClosedException e = assertThrows(ChannelClosedException.class, c::receive);
        assertEquals(Reason.PEER_CLOSED, e.reason());
        assertTrue(e.isClean());
        c.onClose().get(60, TimeUnit.SECONDS);
        assertTrue(c.isClosed());
    }

    @Test
    void aSentFrameIsItsLengthThenItsBytes() throws Exception {
        Frames out = new Frames();
        Channel c = channel(InputStream.nullInputStream(), out, 4);
        c.sendString("hi").get();
        c.send(new byte[] {9, 8, 7, 6, 5}, 1, 3).get();
        assertArrayEquals(new byte[] {0, 0, 0, 2, 'h', 'i'}, out.written.get(0));
        assertArrayEquals(new byte[] {0, 0, 0, 3, 8, 7, 6}, out.written.get(1));
        assertThrows(IllegalArgumentException.class, () -> c.send(new byte[5]));
        assertEquals(2, out.written.size(), "a refused frame writes nothing");
    }

    @Test
    void aLargeMessageGoesAsItsHeaderThenTheCallersOwnArray() throws Exception {
        Frames out = new Frames();
        Channel c = channel(InputStream.nullInputStream(), out, 1 << 20);
        byte[] big = new byte[Channel.SPLIT_AT];
        new java.util.Random(3).nextBytes(big);
        c.send(big).get();
        assertEquals(2, out.written.size());
        assertArrayEquals(ByteBuffer.allocate(4).putInt(big.length).array(), out.written.get(0));
        assertTrue(out.arrays.get(1) == big, "no copy of the message before the sink");
        byte[] slice = new byte[Channel.SPLIT_AT + 2];
        c.send(slice, 1, Channel.SPLIT_AT).get(); // a part of an array is still framed in a copy
        c.send(new byte[Channel.SPLIT_AT - 1]).get();
        assertEquals(4, out.written.size());
        assertEquals(4 + Channel.SPLIT_AT, out.written.get(2).length);
        assertEquals(4 + Channel.SPLIT_AT - 1, out.written.get(3).length);
    }

    @Test
    void concurrentSendersNeverInterleaveFrames() throws Exception {
        Frames out = new Frames();
        Channel c = channel(InputStream.nullInputStream(), out, 1 << 20);
        int threads = 4;
        int each = 200;
        List<Thread> senders = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int id = t;
            senders.add(Thread.ofPlatform().start(() -> {
                for (int i = 0; i < each; i++) {
                    // every other message over SPLIT_AT: header and payload in two writes
                    byte[] m = new byte[i % 2 == 0 ? Channel.SPLIT_AT + i : 8 + i];
                    java.util.Arrays.fill(m, (byte) id);
                    ByteBuffer.wrap(m).putInt(i);
                    c.send(m).join();
                }
            }));
        }
        for (Thread t : senders) {
            t.join();
        }
        // parse the stream back: every frame whole, each sender's in its order
        ByteBuffer b = ByteBuffer.wrap(out.stream.toByteArray());
        int[] next = new int[threads];
        int frames = 0;
        while (b.hasRemaining()) {
            int n = b.getInt();
            byte[] m = new byte[n];
            b.get(m);
            int i = ByteBuffer.wrap(m).getInt();
            int id = m[n - 1];
            assertEquals(next[id]++, i, "sender " + id + "'s frames in order");
            assertEquals(i % 2 == 0 ? Channel.SPLIT_AT + i : 8 + i, n);
            for (int k = 4; k < n; k++) {
                assertEquals(id, m[k], "frame " + i + " of sender " + id + " whole");
            }
            frames++;
        }
        assertEquals(threads * each, frames);
    }

    @Test
    void theReaderReadsAheadAndFramesSurviveAnyCut() throws Exception {
        // small frames written together come in one read, not two reads per frame
        byte[][] smalls = new byte[100][];
        for (int i = 0; i < smalls.length; i++) {
            smalls[i] = new byte[] {(byte) i, 1, 2, 3};
        }
        AtomicInteger reads = new AtomicInteger();
        Channel c = channel(new Trickle(frames(smalls), Integer.MAX_VALUE, reads), new Frames(), 1024);
        for (byte[] m : smalls) {
            assertArrayEquals(m, c.receive());
        }
        assertEquals(Reason.PEER_CLOSED, assertThrows(ChannelClosedException.class, c::receive).reason());
        assertTrue(reads.get() <= 3, reads.get() + " reads for 100 frames of 800 bytes");
        // sizes around the read-ahead buffer, the stream handing out odd pieces
        int ra = Channel.READ_AHEAD;
        int[] sizes = {0, 1, ra - 8, ra - 4, ra - 3, ra, ra + 1, 2 * ra + 5, (1 << 20) + 3, 7};
        byte[][] payloads = new byte[sizes.length][];
        java.util.Random random = new java.util.Random(4);
        for (int i = 0; i < sizes.length; i++) {
            payloads[i] = new byte[sizes[i]];
            random.nextBytes(payloads[i]);
        }
        for (int piece : new int[] {1 << 20, 65_536, 7_001, 3}) {
            Channel d = channel(new Trickle(frames(payloads), piece, new AtomicInteger()), new Frames(), 2 << 20);
            for (byte[] p : payloads) {
                assertArrayEquals(p, d.receive(), "a frame of " + p.length + " bytes, pieces of " + piece);
            }
            assertEquals(Reason.PEER_CLOSED, assertThrows(ChannelClosedException.class, d::receive).reason());
        }
    }

    /** Hands out {@code bytes} at most {@code piece} bytes a read, as a pipe may; counts the reads. */
    private static final class Trickle extends InputStream {
        private final byte[] bytes;
        private final int piece;
        private final AtomicInteger reads;
        private int pos;

        Trickle(byte[] bytes, int piece, AtomicInteger reads) {
            this.bytes = bytes;
            this.piece = piece;
            this.reads = reads;
        }

        @Override
        public int read() {
            throw new UnsupportedOperationException();
        }

        @Override
        public int read(byte[] b, int off, int len) {
            reads.incrementAndGet();
            if (pos == bytes.length) {
                return -1;
            }
            int n = Math.min(Math.min(len, piece), bytes.length - pos);
            System.arraycopy(bytes, pos, b, off, n);
            pos += n;
            return n;
        }
    }

    @Test
    void endsInsideAFrameAreTruncated() throws Exception {
        byte[] whole = frames("hello".getBytes());
        for (int cut : new int[] {2, 7}) {
            byte[] part = java.util.Arrays.copyOf(whole, cut);
            Channel c = channel(new ByteArrayInputStream(part), new Frames(), 1024);
            ChannelClosedException e = assertThrows(ChannelClosedException.class, c::receive);
            assertEquals(Reason.TRUNCATED, e.reason());
            assertTrue(e.getMessage().contains(cut == 2 ? "header (2 of 4 bytes)" : "payload (3 of 5 bytes)"), e.getMessage());
            ExecutionException x = assertThrows(ExecutionException.class, () -> c.onClose().get(60, TimeUnit.SECONDS));
            assertEquals(Reason.TRUNCATED, ((ChannelClosedException) x.getCause()).reason());
        }
    }

    @Test
    void announcedFramesOverTheMaximumOrNegativeEndTheChannel() throws Exception {
        for (int announced : new int[] {1025, -1}) {
            byte[] bytes = ByteBuffer.allocate(8).putInt(announced).array();
            Channel c = channel(new ByteArrayInputStream(bytes), new Frames(), 1024);
            ChannelClosedException e = assertThrows(ChannelClosedException.class, c::receive);
            assertEquals(Reason.FRAME_TOO_LARGE, e.reason());
            assertTrue(e.getMessage().contains(Integer.toUnsignedString(announced) + " bytes"), e.getMessage());
        }
    }

    @Test
    void receiveTimesOutThenCloseEndsEverything() throws Exception {
        PipedInputStream in = new PipedInputStream();
        PipedOutputStream peer = new PipedOutputStream(in);
        Frames out = new Frames();
        Channel c = channel(in, out, 1024);
        assertEquals(Optional.empty(), c.receive(Duration.ofMillis(1)));
        c.close();
        assertEquals(Reason.CLOSED, assertThrows(ChannelClosedException.class, c::receive).reason());
        ExecutionException x = assertThrows(ExecutionException.class, () -> c.sendString("late").get());
        assertEquals(Reason.CLOSED, ((ChannelClosedException) x.getCause()).reason());
        assertTrue(out.closed);
        c.onClose().get(60, TimeUnit.SECONDS);
        c.close(); // idempotent
        peer.close();
    }

    @Test
    void aReceiverThatFallsBehindPausesTheReader() throws Exception {
        int size = 1 << 20;
        AtomicInteger produced = new AtomicInteger();
        byte[] frame = frames(new byte[size]);
        InputStream endless = new InputStream() {
            int pos = frame.length;

            @Override
            public int read() {
                throw new UnsupportedOperationException();
            }

            @Override
            public int read(byte[] b, int off, int len) {
                if (pos == frame.length) {
                    pos = 0;
                    produced.incrementAndGet();
                }
                int n = Math.min(len, frame.length - pos);
                System.arraycopy(frame, pos, b, off, n);
                pos += n;
                return n;
            }
        };
        Channel c = channel(endless, new Frames(), size);
        Thread reader = readers.get(0);
        // the reader parks once the queue holds QUEUE_BYTES; waits bounded only to fail, not to time
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (reader.getState() != Thread.State.WAITING && System.nanoTime() < deadline) {
            Thread.sleep(1);
        }
        assertEquals(Thread.State.WAITING, reader.getState());
        int queued = Channel.QUEUE_BYTES / size;
        assertEquals(queued + 1, produced.get(), "the queue's frames and the one waiting to go in");
        for (int i = 0; i < 3 * queued; i++) {
            assertEquals(size, c.receive().length);
        }
        c.close();
    }

    @Test
    void aThrowingCallbackClosesTheChannel() throws Exception {
        PipedInputStream in = new PipedInputStream();
        PipedOutputStream peer = new PipedOutputStream(in);
        Channel c = channel(in, new Frames(), 1024);
        IllegalStateException boom = new IllegalStateException("boom");
        c.onMessage(m -> {
            throw boom;
        });
        assertThrows(IllegalStateException.class, () -> c.onMessage(m -> {}));
        peer.write(frames("x".getBytes()));
        peer.flush();
        ExecutionException x = assertThrows(ExecutionException.class, () -> c.onClose().get(60, TimeUnit.SECONDS));
        assertEquals(boom, x.getCause());
        assertTrue(c.closedHere());
        assertEquals(Reason.CLOSED, assertThrows(ChannelClosedException.class, () -> c.sendBlocking(new byte[1])).reason());
        try {
            peer.close();
        } catch (IOException ignored) {
            // the reader has gone
        }
    }

    // ---- push mode (the parent: frames parsed as ReadEnd.publisher() hands chunks over) ----

    /**
     * A publisher as ReadEnd's: one chunk per unit of demand, from its own thread, one signal at a
     * time; the end once every chunk went out (with {@code error}, if any).
     */
    private static class Chunks implements Flow.Publisher<ByteBuffer> {
        private final List<byte[]> chunks;
        private final Exception error;
        final Semaphore demand = new Semaphore(0);
        final AtomicInteger sent = new AtomicInteger();
        volatile boolean cancelled;

        Chunks(List<byte[]> chunks, Exception error) {
            this.chunks = chunks;
            this.error = error;
        }

        /** {@code bytes} cut into chunks of {@code size}. */
        static Chunks of(byte[] bytes, int size) {
            List<byte[]> cut = new ArrayList<>();
            for (int i = 0; i < bytes.length; i += size) {
                cut.add(java.util.Arrays.copyOfRange(bytes, i, Math.min(bytes.length, i + size)));
            }
            return new Chunks(cut, null);
        }

        @Override
        public void subscribe(Flow.Subscriber<? super ByteBuffer> s) {
            s.onSubscribe(new Flow.Subscription() {
                @Override
                public void request(long n) {
                    demand.release((int) n);
                }

                @Override
                public void cancel() {
                    cancelled = true;
                }
            });
            Thread t = new Thread(() -> {
                try {
                    for (byte[] c : chunks) {
                        demand.acquire();
                        if (cancelled) {
                            return;
                        }
                        sent.incrementAndGet();
                        s.onNext(ByteBuffer.wrap(c.clone()));
                    }
                } catch (InterruptedException e) {
                    return;
                }
                if (error == null) {
                    s.onComplete();
                } else {
                    s.onError(error);
                }
            }, "test chunks");
            t.setDaemon(true);
            t.start();
        }
    }

    @Test
    void pushFramesCutAtEveryByteAreWholeThenTheCleanEnd() throws Exception {
        byte[] bytes = frames(new byte[0], "abc".getBytes(), new byte[] {1, 2}, new byte[300]);
        for (int size : new int[] {1, 2, 3, 5, 7, bytes.length}) {
            Channel c = new Channel("test channel", Chunks.of(bytes, size), new Frames(), 1024);
            assertArrayEquals(new byte[0], c.receive());
            assertEquals("abc", c.receiveString());
            assertArrayEquals(new byte[] {1, 2}, c.receive(Duration.ofSeconds(60)).orElseThrow());
            assertArrayEquals(new byte[300], c.receive());
            ChannelClosedException e = assertThrows(ChannelClosedException.class, c::receive);
            assertEquals(Reason.PEER_CLOSED, e.reason());
            assertTrue(c.onClose().isDone(), "onClose() completes before receivers see the end");
            assertTrue(c.isClosed());
        }
    }

    @Test
    void pushEndsInsideAFrameAreTruncatedAndErrorsAreIoErrors() throws Exception {
        byte[] whole = frames("hello".getBytes());
        for (int cut : new int[] {2, 7}) {
            Channel c = new Channel("test channel", Chunks.of(java.util.Arrays.copyOf(whole, cut), 1), new Frames(), 1024);
            ChannelClosedException e = assertThrows(ChannelClosedException.class, c::receive);
            assertEquals(Reason.TRUNCATED, e.reason());
            assertTrue(e.getMessage().contains(cut == 2 ? "header (2 of 4 bytes)" : "payload (3 of 5 bytes)"), e.getMessage());
            ExecutionException x = assertThrows(ExecutionException.class, () -> c.onClose().get(60, TimeUnit.SECONDS));
            assertEquals(Reason.TRUNCATED, ((ChannelClosedException) x.getCause()).reason());
        }
        Channel c = new Channel("test channel", new Chunks(List.of(whole), new IOException("EIO")), new Frames(), 1024);
        assertEquals("hello", c.receiveString());
        assertEquals(Reason.IO_ERROR, assertThrows(ChannelClosedException.class, c::receive).reason());
    }

    @Test
    void pushFramesOverTheMaximumStopReading() throws Exception {
        Chunks chunks = Chunks.of(ByteBuffer.allocate(8).putInt(1025).array(), 1);
        Channel c = new Channel("test channel", chunks, new Frames(), 1024);
        ChannelClosedException e = assertThrows(ChannelClosedException.class, c::receive);
        assertEquals(Reason.FRAME_TOO_LARGE, e.reason());
        assertTrue(chunks.cancelled);
        assertEquals(4, chunks.sent.get(), "nothing read after the header");
    }

    @Test
    void pushAReceiverThatFallsBehindStopsTheDemand() throws Exception {
        int size = 1 << 20;
        int total = 3 * Channel.QUEUE_BYTES / size;
        byte[] frame = frames(new byte[size]);
        List<byte[]> all = new ArrayList<>();
        for (int i = 0; i < total; i++) {
            all.add(frame);
        }
        Chunks chunks = new Chunks(all, null);
        Channel c = new Channel("test channel", chunks, new Frames(), size);
        int queued = Channel.QUEUE_BYTES / size;
        // the parser stops asking once the queue holds QUEUE_BYTES; waits bounded only to fail
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (chunks.sent.get() < queued && System.nanoTime() < deadline) {
            Thread.sleep(1);
        }
        Thread.sleep(50);
        assertEquals(queued, chunks.sent.get());
        assertEquals(0, chunks.demand.availablePermits(), "no demand while the queue is full");
        for (int i = 0; i < total; i++) {
            assertEquals(size, c.receive().length);
        }
        assertEquals(Reason.PEER_CLOSED, assertThrows(ChannelClosedException.class, c::receive).reason());
        c.close();
    }

    @Test
    void pushCallbacksGetEveryMessageThenCloseCancels() throws Exception {
        byte[] bytes = frames("a".getBytes(), "b".getBytes());
        Chunks chunks = new Chunks(List.of(bytes), null);
        List<String> got = java.util.Collections.synchronizedList(new ArrayList<>());
        java.util.concurrent.CountDownLatch both = new java.util.concurrent.CountDownLatch(2);
        Channel c = new Channel("test channel", chunks, new Frames(), 1024);
        // this publisher delivers everything, end included, inside the constructor: onMessage comes
        // after the end was read, so onClose() (completed then) says nothing about delivery; wait
        // for the messages themselves
        c.onMessage(m -> {
            got.add(new String(m));
            both.countDown();
        });
        assertTrue(both.await(60, TimeUnit.SECONDS), "both messages delivered");
        c.onClose().get(60, TimeUnit.SECONDS);
        assertEquals(List.of("a", "b"), got);
        Chunks silent = new Chunks(List.of(), null) {
            @Override
            public void subscribe(Flow.Subscriber<? super ByteBuffer> s) {
                s.onSubscribe(new Flow.Subscription() {
                    @Override
                    public void request(long n) {}

                    @Override
                    public void cancel() {
                        cancelled = true;
                    }
                });
            }
        };
        Channel d = new Channel("test channel", silent, new Frames(), 1024);
        d.close();
        assertTrue(silent.cancelled);
        assertEquals(Reason.CLOSED, assertThrows(ChannelClosedException.class, d::receive).reason());
    }
}
