package io.spawnkit;

import io.spawnkit.internal.ByteSink;
import io.spawnkit.internal.ByteSource;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The buffer hand-off behind {@link ReadEnd#inputStream()}, without a process: a "loop" thread
 * delivers 64 KiB chunks to the stream's sink as fast as the backpressure lets it (pausing when the
 * sink says so, until {@code resume()}), and the benchmark thread reads 64 KiB per operation. Reads
 * per second x 64 KiB is the hand-off throughput, the ceiling of the inputStream path. In package
 * {@code io.spawnkit} (split from the core jar on the class path) to build a ReadEnd on a fake source.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class ReadEndStreamBench {
    private static final int CHUNK = 64 * 1024;

    private FakeSource source;
    private InputStream in;
    private final byte[] buf = new byte[CHUNK];

    /** Plays the event loop: an endless stream of chunks, paused and resumed as a pipe would be. */
    static final class FakeSource implements ByteSource {
        private final ByteBuffer chunk = ByteBuffer.allocateDirect(CHUNK);
        private volatile boolean resumed;
        private volatile boolean closed;
        private volatile Thread loop;

        @Override
        public void start(ByteSink sink) {
            loop = Thread.ofPlatform().daemon().name("fake-loop").start(() -> {
                while (!closed) {
                    chunk.clear();
                    if (!sink.onData(chunk)) {
                        while (!resumed && !closed) {
                            LockSupport.park(this);
                        }
                        resumed = false;
                    }
                }
                sink.onEnd(null);
            });
        }

        @Override
        public void resume() {
            resumed = true;
            LockSupport.unpark(loop);
        }

        @Override
        public int detach() {
            throw new UnsupportedOperationException();
        }

        @Override
        public void close() {
            closed = true;
            Thread t = loop;
            if (t != null) {
                LockSupport.unpark(t);
            }
        }
    }

    @Setup(Level.Trial)
    public void setup() {
        source = new FakeSource();
        in = new ReadEnd(source, "bench stream").inputStream();
    }

    @TearDown(Level.Trial)
    public void tearDown() throws IOException {
        in.close();
    }

    @Benchmark
    public int read64KiB() throws IOException {
        int n = 0;
        while (n < CHUNK) {
            int r = in.read(buf, n, CHUNK - n);
            if (r < 0) {
                throw new IOException("ended");
            }
            n += r;
        }
        return n;
    }
}
