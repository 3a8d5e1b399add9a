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
    /** Records the frames written. */
    private static final class Frames implements Channel.Sink {
        final List<byte[]> written = new ArrayList<>();
        boolean closed;

        @Override
        public synchronized CompletableFuture<Void> write(byte[] frame) {
            written.add(frame);
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
