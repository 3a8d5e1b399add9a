package io.spawnkit.worker;

import static io.spawnkit.worker.WorkerTest.exit;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.spawnkit.ExitStatus;
import io.spawnkit.worker.ChannelClosedException.Reason;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Random;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.DisabledOnOs;
import org.junit.jupiter.api.condition.OS;

/**
 * The channel over a loopback connection ({@link WorkerSpec.Transport#LOOPBACK}): real worker JVMs,
 * each killed by {@link Worker#close()} even when a test fails. Tagged portable, so the build runs
 * these again on the JDK fallback backend, where loopback is the only transport (and the default).
 */
@Tag("portable")
class WorkerLoopbackTest {

    private static WorkerSpec spec(Class<? extends WorkerTask> task, String... args) {
        return WorkerSpec.of(task).jvmOptions(WorkerTest.JVM_OPTIONS).args(args).transport(WorkerSpec.Transport.LOOPBACK);
    }

    @Test
    void pingPongsAndTenMebibytesComeBackExactly() throws Exception {
        try (Worker w = spec(WorkerTasks.Echo.class).start()) {
            Channel c = w.channel();
            for (int i = 0; i < 1_000; i++) {
                c.sendString("ping " + i);
                assertEquals("ping " + i, c.receiveString());
            }
            Random random = new Random(7);
            MessageDigest sent = MessageDigest.getInstance("SHA-256");
            MessageDigest back = MessageDigest.getInstance("SHA-256");
            for (int i = 0; i < 10; i++) {
                byte[] frame = new byte[1 << 20];
                random.nextBytes(frame);
                sent.update(frame);
                c.sendBlocking(frame);
                back.update(c.receive());
            }
            assertArrayEquals(sent.digest(), back.digest());
            c.close();
            assertEquals(new ExitStatus.Exited(0), exit(w));
        }
    }

    @Test
    void theDefaultTransportWorksOnEveryBackend() throws Exception {
        // pipes on the native backends; loopback on the JDK fallback, which cannot pass descriptors
        try (Worker w = WorkerSpec.of(WorkerTasks.Echo.class).jvmOptions(WorkerTest.JVM_OPTIONS).start()) {
            for (int i = 0; i < 100; i++) {
                w.channel().sendString("m" + i);
                assertEquals("m" + i, w.channel().receiveString());
            }
            w.channel().close();
            assertEquals(new ExitStatus.Exited(0), exit(w));
        }
    }

    @Test
    @DisabledOnOs(value = OS.WINDOWS, disabledReason = "Winsock discards what the parent has not read yet when"
            + " the reset arrives: a worker that halts with unread data can lose its last frames there (documented)")
    void aHaltedWorkersLastMessageArrivesThenTheEnd() throws Exception {
        try (Worker w = spec(WorkerTasks.Crash.class, "halt", "3").start()) {
            // more than the worker's queue (4 MiB) and the socket buffers hold, never read: its
            // exit then resets the connection, which must not cost its last message nor turn the
            // end into an error
            for (int i = 0; i < 48; i++) {
                w.channel().send(new byte[256 << 10]);
            }
            assertEquals("halting", w.channel().receiveString());
            ChannelClosedException e = assertThrows(ChannelClosedException.class, () -> w.channel().receive());
            assertEquals(Reason.PEER_CLOSED, e.reason());
            assertEquals(new ExitStatus.Exited(3), exit(w));
        }
    }

    @Test
    void aWorkerThatNeverConnectsEndsTheChannel() throws Exception {
        try (Worker w = WorkerSpec.of("io.spawnkit.worker.NoSuchTask").jvmOptions(WorkerTest.JVM_OPTIONS)
                .transport(WorkerSpec.Transport.LOOPBACK).stderr(io.spawnkit.Stdio.ignore()).start()) {
            assertEquals(new ExitStatus.Exited(Worker.EXIT_BOOTSTRAP_FAILED), exit(w));
            assertEquals(Reason.PEER_CLOSED, assertThrows(ChannelClosedException.class, () -> w.channel().receive()).reason());
        }
    }

    @Test
    @DisabledOnOs(OS.WINDOWS) // SIGKILL of the driver; Windows has its own worker tests
    void aWorkerWhoseParentIsKilledExits() throws Exception {
        WorkerTest.orphan(WorkerSpec.Transport.LOOPBACK);
    }

    /** Presents {@code key} and {@code pid} to the listener as a worker would. */
    private static Socket present(Loopback.Listener l, byte[] key, long pid) throws IOException {
        Socket s = new Socket(java.net.InetAddress.getLoopbackAddress(), l.port());
        s.getOutputStream().write(ByteBuffer.allocate(key.length + 8).put(key).putLong(pid).array());
        return s;
    }

    @Test
    void theListenerTakesOnlyTheConnectionWithTheKeyAndThePid() throws Exception {
        try (Loopback.Listener l = new Loopback.Listener()) {
            byte[] key = HexFormat.of().parseHex(l.keyHex());
            byte[] wrong = key.clone();
            wrong[5] ^= 1;
            l.accept("test", 4242, () -> false);
            try (Socket badKey = present(l, wrong, 4242); Socket badPid = present(l, key, 4243)) {
                // each impostor is closed by the listener: its read sees the end
                assertEquals(-1, readWithin(badKey));
                assertEquals(-1, readWithin(badPid));
                assertFalse(l.connection().isDone());
                try (Socket good = Loopback.connect(l.port(), l.keyHex(), 4242)) {
                    Socket taken = l.connection().get(60, TimeUnit.SECONDS);
                    taken.getOutputStream().write(42);
                    assertEquals(42, readWithin(good));
                    taken.close();
                }
            }
            // the listener is closed once one worker is in: nobody else can connect
            assertThrows(IOException.class, () -> present(l, key, 4242).close());
        }
    }

    @Test
    void theListenerGivesUpWhenTheWorkerIsGone() throws Exception {
        try (Loopback.Listener l = new Loopback.Listener()) {
            l.accept("test", 1, () -> true);
            ExecutionException e = assertThrows(ExecutionException.class, () -> l.connection().get(60, TimeUnit.SECONDS));
            assertTrue(e.getCause().getMessage().contains("ended before it connected"), e.getCause().toString());
            // and the channel's reading side then reads the end, as from a closed pipe
            try (InputStream in = Loopback.input(l.connection())) {
                assertEquals(-1, in.read());
            }
        }
    }

    private static int readWithin(Socket s) throws IOException {
        s.setSoTimeout(60_000);
        return s.getInputStream().read();
    }
}
