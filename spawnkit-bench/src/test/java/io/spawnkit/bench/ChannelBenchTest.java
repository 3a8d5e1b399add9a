package io.spawnkit.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * ChannelBench's fixture without JMH, so that a broken benchmark shows in the build: a real worker
 * JVM, through each transport, echoes the benchmark's messages byte for byte, and the fixture ends
 * the worker.
 */
class ChannelBenchTest {
    @ParameterizedTest
    @ValueSource(strings = {"channel", "channel-loopback", "socket"})
    void echoesThroughTheTransportAndClosesTheWorker(String transport) throws Exception {
        ChannelBench b = new ChannelBench();
        b.transport = transport;
        byte[] small = new byte[ChannelBench.SMALL];
        new Random(1).nextBytes(small);
        byte[] big = new byte[ChannelBench.BIG];
        new Random(2).nextBytes(big);
        b.setup();
        long pid = b.workerPid();
        try {
            for (int i = 0; i < 50; i++) {
                assertThat(b.roundTrip64()).isEqualTo(small);
            }
            for (int iteration = 0; iteration < 2; iteration++) {
                for (int i = 0; i < 10; i++) {
                    byte[] m = b.echo1MiB();
                    assertThat(m.length).isEqualTo(ChannelBench.BIG);
                    assertThat(Arrays.equals(m, big)).as("1 MiB echo %d", i).isTrue();
                }
                b.stopPump(); // takes back the frames in flight: the next round trip gets its own echo
                assertThat(b.roundTrip64()).isEqualTo(small);
            }
        } finally {
            b.tearDown();
        }
        assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false))
                .as("worker pid %d after tearDown", pid).isFalse();
    }

    @Test
    void anUnknownTransportIsRefusedAndLeavesNoWorker() throws Exception {
        ChannelBench b = new ChannelBench();
        b.transport = "pigeon";
        try {
            assertThatThrownBy(b::setup)
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("pigeon");
        } finally {
            b.tearDown();
        }
        long pid = b.workerPid();
        assertThat(pid).isPositive();
        assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false))
                .as("worker pid %d after the failed setup", pid).isFalse();
    }
}
