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
import java.util.Arrays;
import java.util.Locale;
import java.util.Random;

/**
 * The worker channel (issue 7) against a plain loopback TCP socket between the same two JVMs:
 * round-trip latency of small messages and throughput of 1 MiB frames echoed back. Both use the
 * same framing (4-byte big-endian length, payload); the socket side uses blocking
 * {@code DataInput/OutputStream} with {@code TCP_NODELAY}. One worker JVM serves both runs, so JVM
 * start does not count. Plain {@code System.nanoTime} (no JMH): information, not a gate.
 *
 * <pre>
 *   java -cp spawnkit-bench.jar io.spawnkit.bench.ChannelBench [ROUND_TRIPS [MIB]]
 * </pre>
 */
public final class ChannelBench {
    private ChannelBench() {}

    /** Echoes channel messages; when told a port ({@code "socket PORT"}), echoes socket frames. */
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

    public static void main(String[] args) throws Exception {
        int roundTrips = args.length > 0 ? Integer.parseInt(args[0]) : 20_000;
        int mib = args.length > 1 ? Integer.parseInt(args[1]) : 256;
        byte[] small = new byte[64];
        byte[] big = new byte[1 << 20];
        new Random(1).nextBytes(big);
        try (Worker w = WorkerSpec.of(Echo.class).jvmOptions("-Xmx256m").start();
                ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            Channel c = w.channel();
            // channel
            long[] lat = new long[roundTrips];
            for (int i = 0; i < roundTrips; i++) {
                long t = System.nanoTime();
                c.sendBlocking(small);
                c.receive();
                lat[i] = System.nanoTime() - t;
            }
            double channelMiBs = throughput(mib, () -> {
                Thread sender = Thread.ofVirtual().start(() -> {
                    try {
                        for (int i = 0; i < mib; i++) {
                            c.sendBlocking(big);
                        }
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                });
                for (int i = 0; i < mib; i++) {
                    c.receive();
                }
                sender.join();
            });
            report("worker channel", lat, channelMiBs);

            // loopback socket, served by the same worker JVM
            c.sendString("socket " + server.getLocalPort());
            try (Socket s = server.accept()) {
                s.setTcpNoDelay(true);
                DataInputStream in = new DataInputStream(new BufferedInputStream(s.getInputStream(), 1 << 16));
                DataOutputStream out = new DataOutputStream(new BufferedOutputStream(s.getOutputStream(), 1 << 16));
                long[] slat = new long[roundTrips];
                for (int i = 0; i < roundTrips; i++) {
                    long t = System.nanoTime();
                    out.writeInt(small.length);
                    out.write(small);
                    out.flush();
                    in.readNBytes(in.readInt());
                    slat[i] = System.nanoTime() - t;
                }
                double socketMiBs = throughput(mib, () -> {
                    Thread sender = Thread.ofVirtual().start(() -> {
                        try {
                            for (int i = 0; i < mib; i++) {
                                synchronized (out) {
                                    out.writeInt(big.length);
                                    out.write(big);
                                    out.flush();
                                }
                            }
                        } catch (IOException e) {
                            throw new IllegalStateException(e);
                        }
                    });
                    for (int i = 0; i < mib; i++) {
                        in.readNBytes(in.readInt());
                    }
                    sender.join();
                });
                report("loopback TCP socket", slat, socketMiBs);
            }
        }
    }

    private interface Body {
        void run() throws Exception;
    }

    private static double throughput(int mib, Body body) throws Exception {
        long t = System.nanoTime();
        body.run();
        return mib / ((System.nanoTime() - t) / 1e9);
    }

    private static void report(String name, long[] lat, double mibPerSecond) {
        // the first half is warm-up
        long[] warm = Arrays.copyOfRange(lat, lat.length / 2, lat.length);
        Arrays.sort(warm);
        System.out.printf(Locale.ROOT, "%-20s round trip (64 B, second half of %d): median %.1f us, p99 %.1f us;"
                        + " echo of 1 MiB frames: %.0f MiB/s%n",
                name, lat.length, warm[warm.length / 2] / 1e3, warm[(int) (warm.length * 0.99)] / 1e3, mibPerSecond);
    }
}
