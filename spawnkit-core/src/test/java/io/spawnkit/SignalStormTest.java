package io.spawnkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * A signal storm on this JVM while children are spawned, waited for and read: no exit lost, no
 * EINTR escaping as an exception, output byte-exact.
 *
 * <p>A signal whose disposition is "ignore" interrupts nothing; only a signal with a handler makes
 * a blocked call return EINTR (epoll_wait, nanosleep and friends even under SA_RESTART, see
 * signal(7)). HotSpot installs a handler for SIGPIPE and ignores it, so SIGPIPE is the storm:
 * sent with tgkill to every thread of this JVM (the event loop, waiters, readers) about once a
 * millisecond, mixed with SIGCHLD and SIGWINCH, which the JVM leaves at their defaults.
 */
@Tag("portable")
class SignalStormTest {
    private static final int SIGPIPE = 13;
    private static final int SIGCHLD = 17;
    private static final int SIGWINCH = 28;

    private static final Linker LINKER = Linker.nativeLinker();
    private static final MethodHandle GETPID = LINKER.downcallHandle(LINKER.defaultLookup().find("getpid").orElseThrow(),
            FunctionDescriptor.of(ValueLayout.JAVA_INT));
    private static final MethodHandle TGKILL = LINKER.downcallHandle(LINKER.defaultLookup().find("tgkill").orElseThrow(),
            FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_INT));

    /** Signals every thread of this JVM until closed; counts the signals that were delivered. */
    private static final class Storm implements AutoCloseable {
        private final Thread thread;
        private volatile boolean stop;
        final AtomicLong sent = new AtomicLong();
        final AtomicReference<Throwable> failure = new AtomicReference<>();

        Storm() {
            thread = new Thread(this::run, "signal-storm");
            thread.setDaemon(true);
            thread.start();
        }

        private void run() {
            try {
                int pid = (int) GETPID.invokeExact();
                int[] signals = {SIGPIPE, SIGPIPE, SIGCHLD, SIGPIPE, SIGWINCH};
                for (long round = 0; !stop; round++) {
                    int sig = signals[(int) (round % signals.length)];
                    for (int tid : threads()) {
                        int r = (int) TGKILL.invokeExact(pid, tid, sig);
                        if (r == 0) {
                            sent.incrementAndGet();
                        } // else the thread ended meanwhile
                    }
                    LockSupport.parkNanos(1_000_000);
                }
            } catch (Throwable t) {
                failure.set(t);
            }
        }

        private static List<Integer> threads() {
            try (Stream<Path> s = Files.list(Path.of("/proc/self/task"))) {
                return s.map(p -> Integer.parseInt(p.getFileName().toString())).toList();
            } catch (IOException e) {
                return List.of();
            }
        }

        @Override
        public void close() throws InterruptedException {
            stop = true;
            thread.join();
        }
    }

    @Test
    void noExitLostNoEintrAndOutputByteExactUnderASignalStorm() throws Exception {
        assertThat(caughtSignals() & (1L << (SIGPIPE - 1)))
                .as("this JVM has a SIGPIPE handler, so the storm interrupts blocking calls").isNotZero();
        Command.of("true").status(); // the backend and its loop exist: the storm reaches them too
        ExecutorService pool = Executors.newFixedThreadPool(6);
        List<ChildProcess> spawned = java.util.Collections.synchronizedList(new ArrayList<>());
        AtomicInteger exits = new AtomicInteger();
        try (Storm storm = new Storm()) {
            List<Future<?>> work = new ArrayList<>();
            for (int i = 0; i < 150; i++) {
                int n = i;
                work.add(pool.submit(() -> {
                    switch (n % 3) {
                        case 0 -> { // captured output, compared byte for byte
                            int lines = 2_000 + n * 37;
                            Output out = Command.of("seq", "1", Integer.toString(lines)).output();
                            assertThat(out.status()).isEqualTo(ExitStatus.exited(0));
                            assertThat(out.stdoutText()).isEqualTo(seq(lines));
                        }
                        case 1 -> { // stdin fed while stdout is read through a blocking stream
                            byte[] data = new byte[64 * 1024 + n * 1031];
                            new Random(n).nextBytes(data);
                            ChildProcess c = Command.of("cat").stdin(Stdio.bytes(data)).stdout(Stdio.pipe()).spawn();
                            spawned.add(c);
                            byte[] back;
                            try (InputStream in = c.stdout().inputStream()) {
                                back = in.readAllBytes();
                            }
                            assertThat(c.waitFor()).isEqualTo(ExitStatus.exited(0));
                            assertThat(back).isEqualTo(data);
                        }
                        default -> { // a code of its own, seen once through onExit and by waitFor
                            ChildProcess c = Command.of("sh", "-c", "exit " + (n % 200)).spawn();
                            spawned.add(c);
                            AtomicInteger seen = new AtomicInteger();
                            var counted = c.onExit().whenComplete((s, e) -> seen.incrementAndGet());
                            assertThat(c.waitFor()).isEqualTo(ExitStatus.exited(n % 200));
                            assertThat(c.onExit().get(1, TimeUnit.MINUTES)).isEqualTo(ExitStatus.exited(n % 200));
                            counted.get(1, TimeUnit.MINUTES); // dependents may run after get() returns
                            assertThat(seen.get()).isEqualTo(1);
                        }
                    }
                    exits.incrementAndGet();
                    return null;
                }));
            }
            for (Future<?> f : work) {
                f.get(3, TimeUnit.MINUTES); // an EINTR that escaped would surface here
            }
            storm.close();
            assertThat(storm.failure.get()).isNull();
            assertThat(storm.sent.get()).as("signals delivered").isPositive();
        } finally {
            pool.shutdownNow();
            synchronized (spawned) {
                spawned.forEach(ChildProcess::kill);
            }
        }
        assertThat(exits.get()).isEqualTo(150);
        assertThat(Helper.zombieChildren()).isEmpty();
    }

    /** The SigCgt mask of /proc/self/status: signals with a handler. */
    private static long caughtSignals() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("SigCgt:")) {
                return Long.parseUnsignedLong(line.substring("SigCgt:".length()).strip(), 16);
            }
        }
        throw new IllegalStateException("no SigCgt in /proc/self/status");
    }

    private static String seq(int lines) {
        StringBuilder sb = new StringBuilder();
        for (int i = 1; i <= lines; i++) {
            sb.append(i).append('\n');
        }
        return sb.toString();
    }
}
