package io.spawnkit.worker;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.spawnkit.ChildProcess;
import io.spawnkit.Command;
import io.spawnkit.ExitStatus;
import io.spawnkit.Stdio;
import io.spawnkit.worker.ChannelClosedException.Reason;
import java.io.BufferedReader;
import java.io.File;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.DisabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

/**
 * Worker JVMs for real: each test starts one or two (a few tenths of a second each) and kills
 * every one it started, also when it fails (try-with-resources: {@link Worker#close()} kills what
 * did not exit). Bounds on waits are failure timeouts, never timing assertions.
 */
class WorkerTest {
    static final String[] JVM_OPTIONS = {"-XX:+UseSerialGC", "-Xshare:auto", "-Xmx128m", "-XX:TieredStopAtLevel=1"};
    static final Duration LONG = Duration.ofSeconds(60);

    private static WorkerSpec spec(Class<? extends WorkerTask> task, String... args) {
        return WorkerSpec.of(task).jvmOptions(JVM_OPTIONS).args(args);
    }

    /** The worker's exit status, failing the test when it has not exited within {@link #LONG}. */
    static ExitStatus exit(Worker w) throws Exception {
        Optional<ExitStatus> s = w.waitFor(LONG);
        assertTrue(s.isPresent(), w + " did not exit");
        return s.get();
    }

    @Test
    void tenThousandPingPongsComeBackInOrder() throws Exception {
        try (Worker w = spec(WorkerTasks.Echo.class).start()) {
            Channel c = w.channel();
            for (int i = 0; i < 10_000; i++) {
                c.sendString("ping " + i);
                assertEquals("ping " + i, c.receiveString());
            }
            c.close();
            assertEquals(new ExitStatus.Exited(0), exit(w));
        }
    }

    @Test
    void hundredMebibytesInFramesComeBackByteExact() throws Exception {
        int frames = 100;
        int frameSize = 1 << 20;
        try (Worker w = spec(WorkerTasks.Echo.class).start()) {
            Channel c = w.channel();
            long start = System.nanoTime();
            CompletableFuture<byte[]> sent = CompletableFuture.supplyAsync(() -> {
                try {
                    MessageDigest d = MessageDigest.getInstance("SHA-256");
                    Random r = new Random(42);
                    byte[] frame = new byte[frameSize];
                    for (int i = 0; i < frames; i++) {
                        r.nextBytes(frame);
                        d.update(frame);
                        c.sendBlocking(frame);
                    }
                    return d.digest();
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }, r -> Thread.ofVirtual().start(r));
            MessageDigest received = MessageDigest.getInstance("SHA-256");
            long bytes = 0;
            for (int i = 0; i < frames; i++) {
                byte[] m = c.receive();
                assertEquals(frameSize, m.length);
                received.update(m);
                bytes += m.length;
            }
            assertArrayEquals(sent.get(60, TimeUnit.SECONDS), received.digest());
            System.out.printf("worker channel: %d MiB echoed in %d ms%n", bytes >> 20,
                    (System.nanoTime() - start) / 1_000_000);
            c.close();
            assertEquals(new ExitStatus.Exited(0), exit(w));
        }
    }

    @Test
    void aTaskThatThrowsExitsOneAndTheChannelEnds() throws Exception {
        try (Worker w = spec(WorkerTasks.Crash.class, "throw").stderr(Stdio.ignore()).start()) {
            assertEquals(new ExitStatus.Exited(Worker.EXIT_TASK_FAILED), exit(w));
            ChannelClosedException e = assertThrows(ChannelClosedException.class, () -> w.channel().receive());
            assertEquals(Reason.PEER_CLOSED, e.reason());
            assertTrue(w.channel().onClose().isDone());
        }
    }

    @Test
    void aHaltedWorkerShowsItsStatusAfterItsLastMessage() throws Exception {
        try (Worker w = spec(WorkerTasks.Crash.class, "halt", "3").start()) {
            assertEquals("halting", w.channel().receiveString());
            ChannelClosedException e = assertThrows(ChannelClosedException.class, () -> w.channel().receive());
            assertEquals(Reason.PEER_CLOSED, e.reason());
            assertEquals(new ExitStatus.Exited(3), exit(w));
            // a send to a worker that is gone fails, and says so
            ChannelClosedException s = assertThrows(ChannelClosedException.class, () -> w.channel().sendBlocking(new byte[10]));
            assertEquals(Reason.IO_ERROR, s.reason());
        }
    }

    @Test
    @DisabledOnOs(value = OS.WINDOWS, disabledReason = "Windows has no SIGTERM: exit code 1 (WindowsWorkerTest)")
    void terminateEndsTheWorkerWithExitCode143() throws Exception {
        try (Worker w = spec(WorkerTasks.Sleep.class).start()) {
            assertEquals("sleeping", w.channel().receiveString());
            assertTrue(w.terminate());
            assertEquals(new ExitStatus.Exited(Worker.EXIT_TERMINATED), exit(w));
        }
    }

    @Test
    void aTaskThatClosesItsChannelEndsItForTheParentWhileItRuns() throws Exception {
        try (Worker w = spec(WorkerTasks.CloseEarly.class).start()) {
            assertEquals("closing", w.channel().receiveString());
            // the worker still runs: the end must come from its close(), not from its exit (failure bounds only)
            ChannelClosedException e = assertThrows(ChannelClosedException.class, () -> w.channel().receive(LONG));
            assertEquals(Reason.PEER_CLOSED, e.reason());
            assertTrue(w.isAlive());
            CompletableFuture<Void> sent = w.channel().send(new byte[1 << 20]); // more than a pipe holds
            java.util.concurrent.ExecutionException failed = assertThrows(java.util.concurrent.ExecutionException.class,
                    () -> sent.get(60, TimeUnit.SECONDS));
            assertEquals(Reason.IO_ERROR, ((ChannelClosedException) failed.getCause()).reason());
        }
    }

    @Test
    void aBusyTaskIsEndedOnceTheParentClosesTheChannel() throws Exception {
        try (Worker w = spec(WorkerTasks.Sleep.class).exitGrace(Duration.ofMillis(200))
                .closeTimeout(LONG).stderr(Stdio.ignore()).start()) {
            assertEquals("sleeping", w.channel().receiveString());
            w.close(); // closes the channel, then waits (up to LONG) for the worker to leave by itself
            assertEquals(Optional.of(new ExitStatus.Exited(Worker.EXIT_ABANDONED)), w.poll());
        }
    }

    @Test
    void framesOverTheMaximumAreRefused() throws Exception {
        try (Worker w = spec(WorkerTasks.Echo.class).maxFrameSize(1024).start()) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> w.channel().send(new byte[1025]));
            assertTrue(e.getMessage().contains("maximum frame size of 1024"), e.getMessage());
            byte[] exactly = new byte[1024];
            exactly[1023] = 7;
            w.channel().sendBlocking(exactly);
            assertArrayEquals(exactly, w.channel().receive());
        }
        try (Worker w = spec(WorkerTasks.Raw.class, "huge").start()) {
            ChannelClosedException e = assertThrows(ChannelClosedException.class, () -> w.channel().receive());
            assertEquals(Reason.FRAME_TOO_LARGE, e.reason());
            assertTrue(e.getMessage().contains("2147483647 bytes, over the maximum of 67108864"), e.getMessage());
            assertTrue(w.channel().onClose().isCompletedExceptionally());
        }
    }

    @Test
    void aStreamEndingInsideAFrameIsTruncated() throws Exception {
        try (Worker w = spec(WorkerTasks.Raw.class, "truncated").start()) {
            ChannelClosedException e = assertThrows(ChannelClosedException.class, () -> w.channel().receive());
            assertEquals(Reason.TRUNCATED, e.reason());
            assertTrue(e.getMessage().contains("10 of 100 bytes"), e.getMessage());
            assertEquals(new ExitStatus.Exited(0), exit(w));
        }
    }

    @Test
    @DisabledOnOs(value = OS.WINDOWS, disabledReason = "WorkerContext.fd(n) is a /dev/fd path (WindowsWorkerTest uses openInput)")
    void aPassedDescriptorReachesTheTask(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("passed.txt");
        Files.writeString(file, "through descriptor 5");
        try (Worker w = spec(WorkerTasks.ReadFd.class).passFd(5, Stdio.from(file)).start()) {
            assertEquals("through descriptor 5", w.channel().receiveString());
            // the task returned: its last message first, then the clean end, and exit 0
            assertEquals(Reason.PEER_CLOSED, assertThrows(ChannelClosedException.class, () -> w.channel().receive()).reason());
            assertEquals(new ExitStatus.Exited(0), exit(w));
        }
    }

    @Test
    void passedPipesAreOpenedWithOpenInputAndOpenOutput() throws Exception {
        try (Worker w = spec(WindowsWorkerTest.PassedPipes.class).passFd(5, Stdio.readPipe()).passFd(6, Stdio.writePipe())
                .start()) {
            CompletableFuture<String> six = w.process().output(6).readAllText();
            w.process().input(5).write("through a pipe at descriptor 5");
            w.process().input(5).close();
            assertEquals("through a pipe at descriptor 5", w.channel().receiveString());
            // the task closed its stream while it still runs: openOutput took descriptor 6, so that was the end
            assertEquals("to fd 6", six.get(60, TimeUnit.SECONDS));
            String expected = System.getProperty("os.name").startsWith("Windows") ? "fd(5) unsupported, once"
                    : "fd(5) gave " + WorkerMain.fdPath(5) + ", once";
            assertEquals(expected, w.channel().receiveString());
            assertEquals(new ExitStatus.Exited(0), exit(w));
        }
    }

    /**
     * Compiles module {@code name} (one task class, {@code name + ".Where"}, that answers with its
     * own module's name, spawnkit's module's name and whether its module is in the boot layer)
     * against spawnkit's classes into {@code dir/name}, exporting its package or not.
     */
    private static Path compileTaskModule(Path dir, String name, boolean exported) throws Exception {
        Path src = dir.resolve("src").resolve(name);
        Path pkg = src.resolve(name.replace('.', '/'));
        Files.createDirectories(pkg);
        Files.writeString(src.resolve("module-info.java"),
                "module " + name + " { requires io.spawnkit; " + (exported ? "exports " + name + ";" : "") + " }");
        Files.writeString(pkg.resolve("Where.java"), """
                package %s;
                public final class Where implements io.spawnkit.worker.WorkerTask {
                    @Override
                    public void run(io.spawnkit.worker.WorkerContext context) throws Exception {
                        context.channel().sendString(getClass().getModule().getName() + " "
                                + io.spawnkit.worker.WorkerTask.class.getModule().getName() + " "
                                + ModuleLayer.boot().findModule("%s").isPresent());
                    }
                }
                """.formatted(name, name));
        Path out = dir.resolve("mods").resolve(name);
        String javac = Path.of(System.getProperty("java.home"), "bin", WorkerMain.windows() ? "javac.exe" : "javac").toString();
        io.spawnkit.Output built = Command.of(javac, "-d", out.toString(), "--module-path", spawnkitClasses(),
                src.resolve("module-info.java").toString(), pkg.resolve("Where.java").toString())
                .timeout(Duration.ofMinutes(2)).output();
        assertTrue(built.status().isSuccess(), "javac: " + built.stderrText());
        return out;
    }

    private static String spawnkitClasses() throws Exception {
        return Path.of(WorkerMain.class.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
    }

    @Test
    void aTaskInANamedModuleRunsOnTheModulePath(@TempDir Path dir) throws Exception {
        Path module = compileTaskModule(dir, "demo.task", true);
        // spawnkit's own location is added by the spec, the task's module is named by its path only
        try (Worker w = WorkerSpec.of("demo.task.Where").modulePath(module.toString()).jvmOptions(JVM_OPTIONS).start()) {
            assertEquals("demo.task io.spawnkit true", w.channel().receiveString());
            assertEquals(new ExitStatus.Exited(0), exit(w));
        }
    }

    @Test
    void aTaskWhosePackageIsNotExportedIsABootstrapFailureThatSaysSo(@TempDir Path dir) throws Exception {
        Path module = compileTaskModule(dir, "demo.hidden", false);
        try (Worker w = WorkerSpec.of("demo.hidden.Where").modulePath(module + File.pathSeparator + spawnkitClasses())
                .jvmOptions(JVM_OPTIONS).stderr(Stdio.pipe()).start()) {
            CompletableFuture<String> err = w.process().stderr().readAllText();
            assertEquals(new ExitStatus.Exited(Worker.EXIT_BOOTSTRAP_FAILED), exit(w));
            assertTrue(err.get(60, TimeUnit.SECONDS).contains("does not export demo.hidden to module io.spawnkit"),
                    err.get());
        }
    }

    @Test
    void aTaskClassThatCannotBeLoadedIsABootstrapFailure() throws Exception {
        try (Worker w = WorkerSpec.of("io.spawnkit.worker.NoSuchTask").jvmOptions(JVM_OPTIONS)
                .stderr(Stdio.ignore()).start()) {
            assertEquals(new ExitStatus.Exited(Worker.EXIT_BOOTSTRAP_FAILED), exit(w));
            assertEquals(Reason.PEER_CLOSED, assertThrows(ChannelClosedException.class, () -> w.channel().receive()).reason());
        }
    }

    @Test
    void callbacksGetEveryMessageInOrder() throws Exception {
        try (Worker w = spec(WorkerTasks.Echo.class).start()) {
            List<String> got = new java.util.concurrent.CopyOnWriteArrayList<>();
            CompletableFuture<Void> all = new CompletableFuture<>();
            w.channel().onMessage(m -> {
                got.add(new String(m, StandardCharsets.UTF_8));
                if (got.size() == 1000) {
                    all.complete(null);
                }
            });
            assertThrows(IllegalStateException.class, () -> w.channel().receive());
            for (int i = 0; i < 1000; i++) {
                w.channel().sendString(Integer.toString(i)); // not waited for: the futures queue up in order
            }
            all.get(60, TimeUnit.SECONDS);
            for (int i = 0; i < 1000; i++) {
                assertEquals(Integer.toString(i), got.get(i));
            }
        }
    }

    @Test
    @DisabledOnOs(value = OS.WINDOWS, disabledReason = "starts bin/java by its POSIX name")
    void aWorkerWhoseParentIsKilledExits() throws Exception {
        orphan(WorkerSpec.Transport.PIPES);
    }

    /** A driver JVM starts a worker over {@code transport}, is SIGKILLed, and the worker must leave. */
    static void orphan(WorkerSpec.Transport transport) throws Exception {
        List<String> argv = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--enable-native-access=ALL-UNNAMED", "-XX:+UseSerialGC", "-Xmx64m", "-XX:TieredStopAtLevel=1",
                "-cp", classPath(), OrphanDriver.class.getName(), transport.name());
        ChildProcess driver = Command.of(argv).stdout(Stdio.pipe()).spawn();
        Optional<ProcessHandle> worker = Optional.empty();
        try {
            BufferedReader lines = new BufferedReader(new InputStreamReader(driver.stdout().inputStream(), StandardCharsets.UTF_8));
            String line = lines.readLine();
            assertTrue(line != null && line.startsWith("pid "), "driver said " + line);
            long pid = Long.parseLong(line.substring(4).strip());
            worker = ProcessHandle.of(pid);
            assertTrue(worker.isPresent(), "worker " + pid + " is not running");
            assertTrue(driver.kill());
            assertTrue(driver.waitFor(LONG).isPresent());
            // the worker's channel ends with the driver: it must leave by itself (failure bound only)
            worker.get().onExit().get(60, TimeUnit.SECONDS);
        } finally {
            driver.kill();
            driver.close();
            worker.ifPresent(ProcessHandle::destroyForcibly);
        }
    }

    static String classPath() throws Exception {
        Set<String> entries = new LinkedHashSet<>();
        for (String p : List.of("java.class.path", "jdk.module.path")) {
            String v = System.getProperty(p);
            if (v != null && !v.isBlank()) {
                entries.addAll(List.of(v.split(File.pathSeparator)));
            }
        }
        entries.add(Path.of(Worker.class.getProtectionDomain().getCodeSource().getLocation().toURI()).toString());
        entries.add(Path.of(OrphanDriver.class.getProtectionDomain().getCodeSource().getLocation().toURI()).toString());
        return String.join(File.pathSeparator, entries);
    }
}
