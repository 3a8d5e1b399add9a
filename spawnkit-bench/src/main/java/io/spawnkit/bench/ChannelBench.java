package io.spawnkit.bench;

import io.spawnkit.worker.Channel;
import io.spawnkit.worker.ChannelClosedException;
import io.spawnkit.worker.Worker;
import io.spawnkit.worker.WorkerContext;
import io.spawnkit.worker.WorkerSpec;
import io.spawnkit.worker.WorkerTask;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.Random;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The worker channel (issue 7) against a plain loopback TCP socket between the same two JVMs, in
 * JMH: {@link #roundTrip64()}, the time of one 64-byte message echoed back (us/op), and
 * {@link #echo1MiB()}, 1 MiB frames echoed back with {@value #WINDOW} in flight (ops/s = MiB/s
 * through the round trip). One worker JVM per trial ({@link #transport} picks the link through
 * it), so the worker's start is never timed; its JIT warms up with the warm-up iterations.
 *
 * <p>Both links use the same framing (4-byte big-endian length, payload) and hand out a new array
 * per message, as {@link Channel#receive()} does. The socket side is the one a plain Java program
 * would write: blocking {@code DataInput/OutputStream} over 64 KiB buffers, {@code TCP_NODELAY};
 * the worker connects back to a port the parent sends it over the channel and echoes on that
 * socket until it ends. Run (after {@code ./mvnw -DskipTests install}):
 *
 * <pre>
 *   java -cp spawnkit-bench/target/spawnkit-bench.jar org.openjdk.jmh.Main ChannelBench -f 3 -wi 3 -i 5
 * </pre>
 *
 * The benchmark methods return the echoed message (checked by {@code ChannelBenchTest}, consumed
 * by JMH otherwise).
 */
@State(Scope.Thread)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 2)
@Fork(value = 3, jvmArgsAppend = "--enable-native-access=ALL-UNNAMED")
public class ChannelBench {
    /** The small message of {@link #roundTrip64()}. */
    static final int SMALL = 64;
    /** The frame of {@link #echo1MiB()}. */
    static final int BIG = 1 << 20;
    /** 1 MiB frames sent ahead of the one being received, so both directions stay busy. */
    static final int WINDOW = 2;

    /**
     * {@code channel}: the worker's {@link Channel} over its pipes; {@code channel-loopback}: the
     * same channel over its loopback transport ({@link WorkerSpec.Transport#LOOPBACK}, the JDK
     * fallback's); {@code socket}: a plain loopback TCP socket to the same worker.
     */
    @Param({"channel", "channel-loopback", "socket"})
    public String transport;

    private final byte[] small = new byte[SMALL];
    private final byte[] big = new byte[BIG];
    private Worker worker;
    /** The last trial's worker, for the test; -1 before setup. */
    private long workerPid = -1;
    private Link link;
    /** The 1 MiB sender while {@link #echo1MiB()} runs an iteration; null otherwise. */
    private Pump pump;

    /** One way to a peer that echoes every message. */
    interface Link extends AutoCloseable {
        /** Sends one message; thread-safe. */
        void send(byte[] message) throws Exception;

        /** The next message; one thread at a time. */
        byte[] receive() throws Exception;

        @Override
        void close() throws IOException;
    }

    /** The worker's task: echoes channel messages; told {@code "socket PORT"}, echoes socket frames until that socket ends. */
    public static final class Echo implements WorkerTask {
        @Override
        public void run(WorkerContext context) throws Exception {
            Channel channel = context.channel();
            try {
                while (true) {
                    byte[] m = channel.receive();
                    if (m.length > 7 && new String(m, 0, 7).equals("socket ")) {
                        echoSocket(Integer.parseInt(new String(m, 7, m.length - 7)));
                        continue;
                    }
                    channel.sendBlocking(m);
                }
            } catch (ChannelClosedException done) {
                // the parent is done
            }
        }

        private static void echoSocket(int port) throws IOException {
            try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
                s.setTcpNoDelay(true);
                DataInputStream in = new DataInputStream(new BufferedInputStream(s.getInputStream(), 1 << 16));
                DataOutputStream out = new DataOutputStream(new BufferedOutputStream(s.getOutputStream(), 1 << 16));
                while (true) {
                    int n;
                    try {
                        n = in.readInt();
                    } catch (EOFException e) {
                        return;
                    }
                    byte[] b = in.readNBytes(n);
                    out.writeInt(n);
                    out.write(b);
                    out.flush();
                }
            }
        }
    }

    @Setup(Level.Trial)
    public void setup() throws Exception {
        new Random(1).nextBytes(small);
        new Random(2).nextBytes(big);
        WorkerSpec spec = WorkerSpec.of(Echo.class).jvmOptions("-Xmx256m");
        if (transport.equals("channel-loopback")) {
            spec.transport(WorkerSpec.Transport.LOOPBACK);
        }
        worker = spec.start();
        workerPid = worker.pid();
        try {
            link = switch (transport) {
                case "channel", "channel-loopback" -> new ChannelLink(worker.channel());
                case "socket" -> SocketLink.connect(worker.channel());
                default -> throw new IllegalArgumentException("transport: channel, channel-loopback or socket, not " + transport);
            };
        } catch (Exception | Error e) {
            worker.kill();
            worker.close();
            worker = null;
            throw e;
        }
    }

    /** Closes the socket (the worker's echo loop ends) and the worker (its channel ends; killed if it lingers). */
    @TearDown(Level.Trial)
    public void tearDown() throws Exception {
        try {
            stopPump();
        } finally {
            try {
                if (link != null) {
                    link.close();
                }
            } finally {
                link = null;
                if (worker != null) {
                    worker.close();
                    worker = null;
                }
            }
        }
    }

    /** Stops the 1 MiB sender after an iteration of {@link #echo1MiB()} and takes back the frames in flight. */
    @TearDown(Level.Iteration)
    public void stopPump() throws Exception {
        Pump p = pump;
        pump = null;
        if (p != null) {
            p.stop(link);
        }
    }

    /** The pid of the last worker {@link #setup()} started (alive or not), -1 before. */
    long workerPid() {
        return workerPid;
    }

    /** One 64-byte message to the worker and back. */
    @Benchmark
    @BenchmarkMode(Mode.AverageTime)
    @OutputTimeUnit(TimeUnit.MICROSECONDS)
    public byte[] roundTrip64() throws Exception {
        link.send(small);
        return link.receive();
    }

    /**
     * One 1 MiB frame back from the worker, while a sender thread keeps {@value #WINDOW} more on
     * their way there: ops/s is MiB/s echoed (each MiB crossed both ways).
     */
    @Benchmark
    @BenchmarkMode(Mode.Throughput)
    @OutputTimeUnit(TimeUnit.SECONDS)
    public byte[] echo1MiB() throws Exception {
        Pump p = pump;
        if (p == null) {
            p = pump = new Pump(link, big);
        }
        byte[] m = link.receive();
        p.received();
        return m;
    }

    /** Sends {@code frame} over and over, at most {@value #WINDOW} ahead of what came back. */
    static final class Pump {
        private final Semaphore credits = new Semaphore(WINDOW);
        private final AtomicLong sent = new AtomicLong();
        private final AtomicReference<Throwable> failure = new AtomicReference<>();
        private final Thread sender;
        private long received;
        private volatile boolean stopping;

        Pump(Link link, byte[] frame) {
            sender = Thread.ofPlatform().daemon().name("bench sender").start(() -> {
                try {
                    while (true) {
                        credits.acquire();
                        if (stopping) {
                            return;
                        }
                        sent.incrementAndGet(); // counted first: stop() waits for its echo
                        link.send(frame);
                    }
                } catch (Throwable t) {
                    failure.set(t);
                }
            });
        }

        void received() throws Exception {
            received++;
            credits.release();
            Throwable t = failure.get();
            if (t != null) {
                throw new IllegalStateException("the sender failed", t);
            }
        }

        /**
         * Stops the sender and receives the echo of every frame it sent, so that the link is idle
         * for the next iteration. Receives while the sender may still be in a send: a socket's
         * buffers may not hold all that is in flight, and the worker's echo would wait for us.
         */
        void stop(Link link) throws Exception {
            stopping = true;
            credits.release(WINDOW + 1);
            while (sender.isAlive() || sent.get() > received) {
                if (failure.get() != null) {
                    break; // what it counted may never have gone out
                }
                if (sent.get() > received) {
                    link.receive();
                    received++;
                } else {
                    sender.join(Duration.ofMillis(10));
                }
            }
            Throwable t = failure.get();
            if (t != null) {
                throw new IllegalStateException("the sender failed", t);
            }
        }
    }

    /** Through {@link Channel}: blocking sends (the frame is in the pipe), blocking receives. */
    record ChannelLink(Channel channel) implements Link {
        @Override
        public void send(byte[] message) throws Exception {
            channel.sendBlocking(message);
        }

        @Override
        public byte[] receive() throws Exception {
            return channel.receive();
        }

        @Override
        public void close() {
            // the worker's close() ends the channel
        }
    }

    /** Through a loopback TCP socket the worker connected back to. */
    static final class SocketLink implements Link {
        private final Socket socket;
        private final DataInputStream in;
        private final DataOutputStream out;

        private SocketLink(Socket socket) throws IOException {
            this.socket = socket;
            socket.setTcpNoDelay(true);
            in = new DataInputStream(new BufferedInputStream(socket.getInputStream(), 1 << 16));
            out = new DataOutputStream(new BufferedOutputStream(socket.getOutputStream(), 1 << 16));
        }

        /** Asks the worker (over {@code channel}) to connect to a new listening port, and accepts it. */
        static SocketLink connect(Channel channel) throws Exception {
            try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
                server.setSoTimeout(30_000);
                channel.sendString("socket " + server.getLocalPort()).get();
                try {
                    return new SocketLink(server.accept());
                } catch (SocketTimeoutException e) {
                    throw new IOException("the worker did not connect back within 30 s", e);
                }
            }
        }

        @Override
        public void send(byte[] message) throws IOException {
            synchronized (out) {
                out.writeInt(message.length);
                out.write(message);
                out.flush();
            }
        }

        @Override
        public byte[] receive() throws IOException {
            return in.readNBytes(in.readInt());
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }
}
