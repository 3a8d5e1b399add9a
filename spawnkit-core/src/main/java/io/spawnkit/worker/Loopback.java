package io.spawnkit.worker;

import java.io.DataInputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The channel over a loopback TCP connection instead of descriptors 3 and 4: for the JDK fallback
 * backend, which cannot give a child descriptors above 2, or when
 * {@link WorkerSpec#transport(WorkerSpec.Transport)} asks for it.
 *
 * <p>The parent listens on an ephemeral port of the loopback address and tells the worker the port
 * on its command line and a random 32-byte key in its environment ({@value #KEY_ENV}: readable by
 * the same user only, unlike the command line). The worker connects and sends the key and its pid;
 * the parent takes the first connection that presents both (MessageDigest.isEqual, a constant-time
 * compare), closes any other, and then closes the listener, so no later connection is possible.
 * Python's multiprocessing authenticates its connections with a shared key the same way, by an HMAC
 * challenge; here the key never leaves the machine's loopback interface, which only a privileged
 * process could watch.
 */
final class Loopback {
    private Loopback() {}

    /** The environment variable that carries the key to the worker. */
    static final String KEY_ENV = "SPAWNKIT_WORKER_KEY";
    static final int KEY_BYTES = 32;
    /** How long a connection may take to present its key before it is dropped. */
    static final int HANDSHAKE_MILLIS = 10_000;
    /** How often the accept loop looks whether the worker is still alive. */
    static final int ACCEPT_SLICE_MILLIS = 200;

    /**
     * The parent's listener: {@link #accept} waits, on a thread of its own, for the one connection
     * that presents the key and the worker's pid; {@link #connection()} completes with it, or fails
     * when the worker ended first or {@link #close()} came first.
     */
    static final class Listener implements AutoCloseable {
        private final ServerSocket server;
        private final byte[] key = new byte[KEY_BYTES];
        private final CompletableFuture<Socket> connection = new CompletableFuture<>();

        Listener() throws IOException {
            server = new ServerSocket(0, 8, InetAddress.getLoopbackAddress());
            new SecureRandom().nextBytes(key);
            connection.whenComplete((s, e) -> closeServer());
        }

        int port() {
            return server.getLocalPort();
        }

        String keyHex() {
            return HexFormat.of().formatHex(key);
        }

        CompletableFuture<Socket> connection() {
            return connection;
        }

        /**
         * Starts accepting: until a connection presents the key and {@code pid} (-1: any pid), or
         * {@code exited} says the worker is gone (checked every {@value #ACCEPT_SLICE_MILLIS} ms).
         */
        void accept(String name, long pid, java.util.function.BooleanSupplier exited) {
            Thread.ofVirtual().name(name + " accept").start(() -> {
                try {
                    server.setSoTimeout(ACCEPT_SLICE_MILLIS);
                    while (!connection.isDone()) {
                        Socket s;
                        try {
                            s = server.accept();
                        } catch (SocketTimeoutException slice) {
                            if (exited.getAsBoolean()) {
                                connection.completeExceptionally(new IOException(name + ": the worker ended before it connected"));
                            }
                            continue;
                        }
                        if (presentsKey(s, pid)) {
                            if (!connection.complete(s)) {
                                s.close(); // closed meanwhile
                            }
                        } else {
                            s.close();
                        }
                    }
                } catch (IOException | RuntimeException e) {
                    connection.completeExceptionally(e); // closed, or the socket failed
                }
            });
        }

        private boolean presentsKey(Socket s, long pid) {
            try {
                s.setSoTimeout(HANDSHAKE_MILLIS);
                byte[] got = new byte[KEY_BYTES + Long.BYTES];
                new DataInputStream(s.getInputStream()).readFully(got);
                s.setSoTimeout(0);
                s.setTcpNoDelay(true);
                byte[] theirs = java.util.Arrays.copyOf(got, KEY_BYTES);
                long theirPid = ByteBuffer.wrap(got, KEY_BYTES, Long.BYTES).getLong();
                return MessageDigest.isEqual(theirs, key) && (pid < 0 || theirPid == pid);
            } catch (IOException e) {
                return false; // too slow, or gone: not our worker
            }
        }

        private void closeServer() {
            try {
                server.close();
            } catch (IOException ignored) {
                // nothing more to accept either way
            }
        }

        /** Stops waiting (the spawn failed); a connection not yet made never will be. */
        @Override
        public void close() {
            connection.completeExceptionally(new IOException("closed before the worker connected"));
            connection.thenAccept(Loopback::closeQuietly);
        }
    }

    /** The worker's side: connects to the parent's {@code port} and presents the key and our pid. */
    static Socket connect(int port, String keyHex, long pid) throws IOException {
        if (keyHex == null) {
            throw new IOException("no " + KEY_ENV + " in the environment");
        }
        byte[] key = HexFormat.of().parseHex(keyHex);
        Socket s = new Socket(InetAddress.getLoopbackAddress(), port);
        try {
            s.setTcpNoDelay(true);
            s.getOutputStream().write(ByteBuffer.allocate(key.length + Long.BYTES).put(key).putLong(pid).array());
            return s;
        } catch (IOException e) {
            s.close();
            throw e;
        }
    }

    /**
     * The socket's output as a stream whose {@code close()} half-closes the connection (the peer
     * reads the end; our side can still read what the peer sends).
     */
    static OutputStream halfClosingOutput(Socket s) throws IOException {
        return new FilterOutputStream(s.getOutputStream()) {
            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                out.write(b, off, len);
            }

            @Override
            public void close() throws IOException {
                if (!s.isClosed() && !s.isOutputShutdown()) {
                    s.shutdownOutput();
                }
            }
        };
    }

    /**
     * The parent's reading side: reads wait for the connection; when it never came (the worker
     * ended first, or the channel was closed) the stream is at its end, which the channel reports
     * as {@link ChannelClosedException.Reason#PEER_CLOSED}, as with a worker that closed its pipe.
     * Closing it stops nothing at once: a thread of its own reads and drops what the worker still
     * sends until the worker's end, then closes the socket ({@link #drainThenClose}).
     */
    static InputStream input(CompletableFuture<Socket> connection) {
        return new SocketInput() {
            @Override
            Socket socket() throws IOException {
                return await(connection);
            }

            @Override
            public void close() {
                connection.thenAccept(s -> Thread.ofVirtual().name("spawnkit worker channel drain")
                        .start(() -> drainThenClose(s, 0)));
            }
        };
    }

    /**
     * The parent's writing side: frames are copied and written in order by one thread of their own
     * once the connection is there (the future of each completes then); {@code close()} half-closes
     * the connection after what was written before, when the worker has connected: a worker that
     * connects after the parent closed reads the end at once, as it would from a closed pipe.
     */
    static Channel.Sink sink(CompletableFuture<Socket> connection, String name) {
        ExecutorService writer = Executors.newSingleThreadExecutor(Thread.ofVirtual().name(name + " writer").factory());
        return new Channel.Sink() {
            @Override
            public CompletableFuture<Void> write(byte[] bytes) {
                byte[] copy = bytes.clone();
                try {
                    return CompletableFuture.runAsync(() -> {
                        try {
                            Socket s = await(connection);
                            if (s == null) {
                                throw new IOException("the worker never connected");
                            }
                            s.getOutputStream().write(copy);
                        } catch (IOException e) {
                            throw new UncheckedIOException(e);
                        }
                    }, writer);
                } catch (java.util.concurrent.RejectedExecutionException closed) {
                    return CompletableFuture.failedFuture(new IOException("channel closed"));
                }
            }

            @Override
            public void close() {
                try {
                    writer.execute(() -> {
                        try {
                            Socket s = await(connection);
                            if (s != null && !s.isClosed() && !s.isOutputShutdown()) {
                                s.shutdownOutput();
                            }
                        } catch (IOException ignored) {
                            // the worker is gone, or we were interrupted: nothing to end
                        }
                    });
                } catch (java.util.concurrent.RejectedExecutionException twice) {
                    return;
                }
                writer.shutdown();
            }
        };
    }

    /** The connection, or null when it failed or was given up. */
    private static Socket await(CompletableFuture<Socket> connection) throws IOException {
        try {
            return connection.get();
        } catch (ExecutionException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new java.io.InterruptedIOException("interrupted while waiting for the worker to connect");
        }
    }

    /**
     * A read of {@code s}, with a reset taken as the end of the stream: the peer closed its socket
     * while data we sent was still unread there (a worker that exits without reading every
     * message), so its kernel answered with a reset. What the peer sent before is still read first
     * (Linux keeps it; the channel sees its frames, then the end, and tells a clean end from a
     * truncated frame as for a pipe).
     */
    static int read(Socket s, byte[] b, int off, int len) throws IOException {
        try {
            return s.getInputStream().read(b, off, len);
        } catch (java.net.SocketException e) {
            if (s.isClosed() || s.isInputShutdown() || String.valueOf(e.getMessage()).contains("reset")) {
                return -1;
            }
            throw e;
        }
    }

    /**
     * Closes {@code s} without a reset: half-closes it (the peer reads our end after what we sent),
     * then reads and drops what the peer still sends until its end, or for at most
     * {@code limitMillis} (0: no limit), then closes it. Closing a socket with unread data makes the
     * kernel send a reset instead of an end, and on some systems (Windows) a reset discards what
     * the peer had received and not yet read: the frames we sent last.
     */
    static void drainThenClose(Socket s, long limitMillis) {
        try (s) {
            if (!s.isOutputShutdown()) {
                s.shutdownOutput();
            }
            long deadline = System.nanoTime() + limitMillis * 1_000_000;
            byte[] sink = new byte[8192];
            while (true) {
                if (limitMillis > 0) {
                    long left = (deadline - System.nanoTime()) / 1_000_000;
                    if (left <= 0) {
                        return;
                    }
                    s.setSoTimeout((int) Math.min(left, Integer.MAX_VALUE));
                }
                if (read(s, sink, 0, sink.length) < 0) {
                    return;
                }
            }
        } catch (IOException e) {
            // timed out, or the peer is gone: closed either way
        }
    }

    /**
     * The worker's reading side: its {@code close()} (the channel's last step) closes the socket
     * through {@link #drainThenClose} within {@code limitMillis}, so that the parent reads the
     * worker's last frames and its end, not a reset.
     */
    static InputStream workerInput(Socket s, long limitMillis) {
        return new SocketInput() {
            @Override
            Socket socket() {
                return s;
            }

            @Override
            public void close() {
                drainThenClose(s, limitMillis);
            }
        };
    }

    /** Reads a socket through {@link #read(Socket, byte[], int, int)}; a null socket is at its end. */
    private abstract static class SocketInput extends InputStream {
        abstract Socket socket() throws IOException;

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            Socket s = socket();
            return s == null ? -1 : Loopback.read(s, b, off, len);
        }
    }

    private static void closeQuietly(Socket s) {
        try {
            s.close();
        } catch (IOException ignored) {
            // closing anyway
        }
    }
}
