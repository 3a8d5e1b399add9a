package io.spawnkit.internal;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * Line framing as {@code onLine} does it on the loop thread: one operation feeds one 64 KiB chunk
 * of a continuous stream of lines to {@link LineSplitter} (lines straddle chunk boundaries, as they
 * do in a pipe). Chunks per second x 64 KiB is the framing throughput.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class LineSplitterBench {
    private static final int CHUNK = 64 * 1024;

    /** Bytes per line, the newline included. */
    @Param({"80"})
    public int lineBytes;

    private ByteBuffer[] chunks;
    private int next;
    private LineSplitter splitter;

    @Setup
    public void setup(Blackhole bh) {
        // a stream period long enough that the chunks repeat with the lines aligned again
        int period = lcm(lineBytes, CHUNK);
        byte[] stream = new byte[period];
        byte[] line = ("x".repeat(lineBytes - 1) + "\n").getBytes(StandardCharsets.US_ASCII);
        for (int off = 0; off < period; off += lineBytes) {
            System.arraycopy(line, 0, stream, off, lineBytes);
        }
        chunks = new ByteBuffer[period / CHUNK];
        for (int i = 0; i < chunks.length; i++) {
            chunks[i] = ByteBuffer.wrap(stream, i * CHUNK, CHUNK).slice();
        }
        splitter = new LineSplitter(bh::consume, StandardCharsets.UTF_8, 1 << 20);
    }

    @Benchmark
    public void feed64KiB() {
        ByteBuffer chunk = chunks[next];
        next = next + 1 == chunks.length ? 0 : next + 1;
        chunk.clear();
        splitter.feed(chunk);
    }

    private static int lcm(int a, int b) {
        int x = a;
        int y = b;
        while (y != 0) {
            int t = x % y;
            x = y;
            y = t;
        }
        return a / x * b;
    }
}
