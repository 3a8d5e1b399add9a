package io.spawnkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.nio.ByteBuffer;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.zip.CRC32;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** A gibibyte through a pipe, byte-exact, with the heap staying small: reading follows the consumer. */
@Tag("portable")
class LargeOutputTest {
    private static final long GIB = 1L << 30;

    @RegisterExtension
    final Reaper reaper = new Reaper();

    private static long usedHeapAfterGc() {
        MemoryMXBean mem = ManagementFactory.getMemoryMXBean();
        System.gc();
        return mem.getHeapMemoryUsage().getUsed();
    }

    @Test
    void oneGibibyteThroughInputStreamByteExactWithABoundedHeap() throws Exception {
        ChildProcess c = reaper.spawn(Helper.command("print-bytes", Long.toString(GIB))
                .stdout(Stdio.pipe()).stderr(Stdio.pipe()));
        CompletableFuture<String> err = c.stderr().readAllText();
        CRC32 crc = new CRC32();
        long total = 0;
        long maxUsed = 0;
        byte[] buf = new byte[1 << 16];
        byte[] expected = Helper.pattern(0, 256);
        long nextSample = 0;
        try (InputStream in = c.stdout().inputStream()) {
            int n;
            while ((n = in.read(buf)) >= 0) {
                for (int i = 0; i < n; i++) {
                    if (buf[i] != expected[(int) ((total + i) & 0xff)]) {
                        throw new AssertionError("byte " + (total + i) + " is " + buf[i]);
                    }
                }
                crc.update(buf, 0, n);
                total += n;
                if (total >= nextSample) {
                    // the consumer is slowed by the GC here: the producer must be paused, not buffered
                    maxUsed = Math.max(maxUsed, usedHeapAfterGc());
                    nextSample += 128L << 20;
                }
            }
        }
        assertThat(total).isEqualTo(GIB);
        assertThat(c.waitFor().isSuccess()).isTrue();
        assertThat(err.get(60, TimeUnit.SECONDS)).isEqualTo("crc32=" + Long.toHexString(crc.getValue()) + "\n");
        assertThat(maxUsed).as("used heap after GC while reading").isLessThan(256L << 20);
    }

    @Test
    void aQuarterGibibyteThroughOnDataInOrder() throws Exception {
        long size = GIB / 4;
        ChildProcess c = reaper.spawn(Command.of("head", "-c", Long.toString(size), "/dev/zero").stdout(Stdio.pipe()));
        AtomicLong count = new AtomicLong();
        AtomicLong nonZero = new AtomicLong();
        c.stdout().onData(b -> {
            while (b.hasRemaining()) {
                if (b.get() != 0) {
                    nonZero.incrementAndGet();
                }
                count.incrementAndGet();
            }
        }).done().get(120, TimeUnit.SECONDS);
        assertThat(count).hasValue(size);
        assertThat(nonZero).hasValue(0);
        assertThat(c.waitFor().isSuccess()).isTrue();
    }

    @Test
    void sixtyFourMibibytesCapturedByOutputAreExact() {
        int size = 64 << 20;
        Output out = Helper.command("print-bytes", Integer.toString(size)).output();
        byte[] got = out.stdout();
        assertThat(got).hasSize(size);
        assertThat(out.stdoutTruncated()).isFalse();
        CRC32 crc = new CRC32();
        crc.update(got);
        assertThat(out.stderrText()).isEqualTo("crc32=" + Long.toHexString(crc.getValue()) + "\n");
        ByteBuffer b = ByteBuffer.wrap(got);
        for (int i = 0; i < size; i++) {
            if (b.get(i) != (byte) i) {
                throw new AssertionError("byte " + i + " is " + b.get(i));
            }
        }
    }
}
