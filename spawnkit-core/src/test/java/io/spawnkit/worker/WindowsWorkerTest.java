package io.spawnkit.worker;

import static io.spawnkit.worker.WorkerTest.exit;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.spawnkit.ExitStatus;
import io.spawnkit.Stdio;
import io.spawnkit.worker.ChannelClosedException.Reason;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

/**
 * Worker JVMs on Windows: the channel on C runtime descriptors 3 and 4 (the Windows backend's
 * lpReserved2 table, read by the worker's ucrtbase), passed descriptors, exits. Run by the
 * windows-latest workflow only; written on Linux, where it could only be compiled. Every worker is
 * closed (killed if needed) by try-with-resources, also when a test fails.
 */
@EnabledOnOs(OS.WINDOWS)
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class WindowsWorkerTest {

    private static WorkerSpec spec(Class<? extends WorkerTask> task, String... args) {
        return WorkerSpec.of(task).jvmOptions(WorkerTest.JVM_OPTIONS).args(args);
    }

    @Test
    void aThousandPingPongsComeBackInOrder() throws Exception {
        try (Worker w = spec(WorkerTasks.Echo.class).start()) {
            Channel c = w.channel();
            for (int i = 0; i < 1_000; i++) {
                c.sendString("ping " + i);
                assertEquals("ping " + i, c.receiveString());
            }
            c.close();
            assertEquals(new ExitStatus.Exited(0), exit(w));
        }
    }

    @Test
    void tenMebibytesComeBackByteExact() throws Exception {
        byte[] data = new byte[10 << 20];
        new Random(42).nextBytes(data);
        try (Worker w = spec(WorkerTasks.Echo.class).start()) {
            Channel c = w.channel();
            // sent from another thread: the echo's way back must be drained while we send
            CompletableFuture<Void> sent = CompletableFuture.runAsync(() -> {
                try {
                    for (int off = 0; off < data.length; off += 1 << 20) {
                        c.sendBlocking(java.util.Arrays.copyOfRange(data, off, off + (1 << 20)));
                    }
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }, r -> Thread.ofVirtual().start(r));
            byte[] back = new byte[data.length];
            for (int off = 0; off < back.length; ) {
                byte[] m = c.receive();
                System.arraycopy(m, 0, back, off, m.length);
                off += m.length;
            }
            sent.get(60, TimeUnit.SECONDS);
            assertArrayEquals(data, back);
            c.close();
            assertEquals(new ExitStatus.Exited(0), exit(w));
        }
    }

    @Test
    void aCrashingWorkerShowsItsStatusAndTheChannelEnds() throws Exception {
        try (Worker w = spec(WorkerTasks.Crash.class, "throw").stderr(Stdio.ignore()).start()) {
            assertEquals(new ExitStatus.Exited(Worker.EXIT_TASK_FAILED), exit(w));
            assertEquals(Reason.PEER_CLOSED, assertThrows(ChannelClosedException.class, () -> w.channel().receive()).reason());
        }
        try (Worker w = spec(WorkerTasks.Crash.class, "halt", "3").start()) {
            assertEquals("halting", w.channel().receiveString());
            assertEquals(Reason.PEER_CLOSED, assertThrows(ChannelClosedException.class, () -> w.channel().receive()).reason());
            assertEquals(new ExitStatus.Exited(3), exit(w));
        }
    }

    @Test
    void aTaskThatClosesItsChannelEndsItForTheParentWhileItRuns() throws Exception {
        // the worker took the handles and _close()d descriptors 3 and 4: its close is the end at once
        try (Worker w = spec(WorkerTasks.CloseEarly.class).start()) {
            assertEquals("closing", w.channel().receiveString());
            assertEquals(Reason.PEER_CLOSED, assertThrows(ChannelClosedException.class, () -> w.channel().receive()).reason());
            assertTrue(w.isAlive());
        }
    }

    /** Reads passed descriptor 5 to its end and sends it; writes "to fd 6" on passed descriptor 6; checks fd(n). */
    public static final class PassedPipes implements WorkerTask {
        @Override
        public void run(WorkerContext context) throws Exception {
            try (InputStream in = context.openInput(5)) {
                context.channel().sendBlocking(in.readAllBytes());
            }
            try (OutputStream out = context.openOutput(6)) {
                out.write("to fd 6".getBytes(StandardCharsets.UTF_8));
            }
            String fdPath;
            try {
                fdPath = "fd(5) gave " + context.fd(5);
            } catch (UnsupportedOperationException e) {
                fdPath = "fd(5) unsupported";
            }
            String again;
            try {
                context.openInput(5);
                again = "opened twice";
            } catch (IllegalStateException e) {
                again = "once";
            }
            context.channel().sendString(fdPath + ", " + again);
        }
    }

    @Test
    void passedPipesReachTheTaskBothWays() throws Exception {
        try (Worker w = spec(PassedPipes.class).passFd(5, Stdio.readPipe()).passFd(6, Stdio.writePipe()).start()) {
            CompletableFuture<String> six = w.process().output(6).readAllText();
            w.process().input(5).write("through a pipe at descriptor 5");
            w.process().input(5).close();
            assertEquals("through a pipe at descriptor 5", w.channel().receiveString());
            assertEquals("to fd 6", six.get(60, TimeUnit.SECONDS)); // the end came when the task closed it
            assertEquals("fd(5) unsupported, once", w.channel().receiveString());
            assertEquals(new ExitStatus.Exited(0), exit(w));
        }
    }

    /** Sends the contents of passed descriptor 5 (a file), through openInput. */
    public static final class ReadPassedFile implements WorkerTask {
        @Override
        public void run(WorkerContext context) throws Exception {
            try (InputStream in = context.openInput(5)) {
                context.channel().sendBlocking(in.readAllBytes());
            }
        }
    }

    @Test
    void aPassedFileReachesTheTask(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("passed.txt");
        Files.writeString(file, "through descriptor 5");
        try (Worker w = spec(ReadPassedFile.class).passFd(5, Stdio.from(file)).start()) {
            assertEquals("through descriptor 5", w.channel().receiveString());
            assertEquals(new ExitStatus.Exited(0), exit(w));
        }
    }

    @Test
    void terminateEndsTheWorkerWithExitCodeOne() throws Exception {
        // Windows: TerminateProcess(handle, 1), no shutdown hooks (Worker's javadoc)
        try (Worker w = spec(WorkerTasks.Sleep.class).start()) {
            assertEquals("sleeping", w.channel().receiveString());
            assertTrue(w.terminate());
            assertEquals(new ExitStatus.Exited(1), exit(w));
            assertEquals(Reason.PEER_CLOSED, assertThrows(ChannelClosedException.class, () -> w.channel().receive()).reason());
        }
        try (Worker w = spec(WorkerTasks.Sleep.class).start()) {
            assertEquals("sleeping", w.channel().receiveString());
            assertEquals(new ExitStatus.Exited(1), w.terminate(Duration.ofSeconds(5)).get(60, TimeUnit.SECONDS));
        }
    }

    @Test
    void aTaskClassThatCannotBeLoadedIsABootstrapFailure() throws Exception {
        try (Worker w = WorkerSpec.of("io.spawnkit.worker.NoSuchTask").jvmOptions(WorkerTest.JVM_OPTIONS)
                .stderr(Stdio.ignore()).start()) {
            assertEquals(new ExitStatus.Exited(Worker.EXIT_BOOTSTRAP_FAILED), exit(w));
        }
    }
}
