package io.spawnkit.worker;

import io.spawnkit.internal.windows.HandleStreams;
import io.spawnkit.os.Os;
import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The worker JVM's main class (started by {@link Worker}; not for direct use). Its argument list
 * is a private contract with {@link WorkerSpec}:
 *
 * <pre>
 *   WorkerMain max-frame=BYTES exit-grace-ms=MS fds=5,6 [connect=PORT] -- TASK_CLASS ARGS...
 * </pre>
 *
 * With {@code connect=PORT} ({@link WorkerSpec.Transport#LOOPBACK}) the channel is a connection to
 * that loopback port instead, authenticated with the key in {@code SPAWNKIT_WORKER_KEY}
 * ({@link Loopback}). Otherwise:
 *
 * It opens the channel on descriptors {@value #FD_IN} (from the parent) and {@value #FD_OUT} (to
 * the parent) and closes the inherited 3 and 4, instantiates the task and runs it on the main
 * thread. On Linux and macOS it opens them through {@code /dev/fd/N} and closes them through
 * {@link Os} (where it has native access); on Windows they are the C runtime's descriptors, which
 * the parent passed in its descriptor table (lpReserved2) and this JVM's ucrtbase read at start-up:
 * it takes their handles ({@code _get_osfhandle}, a non-inheritable duplicate, {@code _close}) and
 * reads and writes them with ReadFile/WriteFile. See the package documentation for the exit rules.
 */
public final class WorkerMain {
    /** The descriptor the worker reads the parent's frames on. */
    public static final int FD_IN = 3;
    /** The descriptor the worker writes its frames on. */
    public static final int FD_OUT = 4;

    private WorkerMain() {}

    /** True on Windows, where descriptors are the C runtime's and /dev/fd does not exist. */
    static boolean windows() {
        return System.getProperty("os.name", "").startsWith("Windows");
    }

    /**
     * Opens inherited descriptor {@code fd} for reading and closes the descriptor itself, so that
     * the stream is its only holder (the peer sees the end when the stream closes).
     */
    static InputStream openInput(int fd) throws IOException {
        if (windows()) {
            return HandleStreams.input(HandleStreams.takeCrtFd(fd), "descriptor " + fd);
        }
        InputStream in = new FileInputStream(fdPath(fd).toFile());
        closeInherited(fd);
        return in;
    }

    /** {@link #openInput} for writing. */
    static OutputStream openOutput(int fd) throws IOException {
        if (windows()) {
            return HandleStreams.output(HandleStreams.takeCrtFd(fd), "descriptor " + fd);
        }
        OutputStream out = new FileOutputStream(fdPath(fd).toFile());
        closeInherited(fd);
        return out;
    }

    static Path fdPath(int fd) {
        // Linux: /dev/fd -> /proc/self/fd, whose entries reopen the pipe or file (a new open file
        // description of the same pipe); macOS: opening /dev/fd/N dup()s the descriptor. Windows
        // has neither (openInput/openOutput take the C runtime descriptor's handle instead).
        Path dev = Path.of("/dev/fd", Integer.toString(fd));
        return Files.exists(Path.of("/dev/fd")) ? dev : Path.of("/proc/self/fd", Integer.toString(fd));
    }

    public static void main(String[] argv) {
        int maxFrame = Channel.DEFAULT_MAX_FRAME;
        long graceMs = 1000;
        int port = -1;
        Set<Integer> fds = new LinkedHashSet<>();
        int i = 0;
        String taskName;
        List<String> args;
        try {
            for (; i < argv.length && !argv[i].equals("--"); i++) {
                String a = argv[i];
                int eq = a.indexOf('=');
                String key = eq < 0 ? a : a.substring(0, eq);
                String value = eq < 0 ? "" : a.substring(eq + 1);
                switch (key) {
                    case "max-frame" -> maxFrame = Integer.parseInt(value);
                    case "exit-grace-ms" -> graceMs = Long.parseLong(value);
                    case "connect" -> port = Integer.parseInt(value);
                    case "fds" -> {
                        for (String f : value.split(",")) {
                            if (!f.isEmpty()) {
                                fds.add(Integer.parseInt(f));
                            }
                        }
                    }
                    default -> throw new IllegalArgumentException("unknown option " + a);
                }
            }
            if (i + 1 >= argv.length) {
                throw new IllegalArgumentException("no task class (usage: WorkerMain OPTIONS -- TASK_CLASS ARGS...)");
            }
            taskName = argv[i + 1];
            args = new ArrayList<>(Arrays.asList(argv).subList(i + 2, argv.length));
        } catch (RuntimeException e) {
            bootstrapFailed("bad arguments " + Arrays.toString(argv), e);
            return;
        }

        WorkerTask task;
        Channel channel;
        try {
            if (windows()) {
                // the passed descriptors the task has not opened yet must not reach its own children
                for (int fd : fds) {
                    HandleStreams.noInherit(fd);
                }
            }
            task = (WorkerTask) Class.forName(taskName, true, Thread.currentThread().getContextClassLoader())
                    .getConstructor().newInstance();
            InputStream in;
            OutputStream out;
            if (port >= 0) { // WorkerSpec.Transport.LOOPBACK
                java.net.Socket s = Loopback.connect(port, System.getenv(Loopback.KEY_ENV), ProcessHandle.current().pid());
                in = Loopback.workerInput(s, graceMs);
                out = Loopback.halfClosingOutput(s);
            } else {
                in = openInput(FD_IN);
                out = openOutput(FD_OUT);
            }
            channel = new Channel("worker channel of pid " + ProcessHandle.current().pid(), in, new StreamSink(out),
                    maxFrame, r -> {
                        Thread t = new Thread(r, "spawnkit worker channel reader");
                        t.setDaemon(true);
                        return t;
                    });
        } catch (ReflectiveOperationException | IOException | RuntimeException | LinkageError e) {
            bootstrapFailed("cannot start task " + taskName, e);
            return;
        }
        long parentPid = ProcessHandle.current().parent().map(ProcessHandle::pid).orElse(-1L);
        AtomicBoolean finished = new AtomicBoolean();
        watchParent(channel, finished, graceMs);

        int code = 0;
        try {
            task.run(new WorkerContext(channel, args, fds, parentPid));
        } catch (Throwable t) {
            System.err.println("spawnkit worker: task " + taskName + " failed:");
            t.printStackTrace();
            code = Worker.EXIT_TASK_FAILED;
        }
        finished.set(true);
        channel.close(); // flushes what the task sent, then the parent reads the end
        System.out.flush();
        System.exit(code);
    }

    /**
     * A worker whose parent is gone must not linger. The channel's end is the signal: the parent
     * closed it, or died (the kernel closed its descriptors). A task blocked in {@code receive}
     * sees {@link ChannelClosedException} at once and can return; a busy task gets
     * {@code graceMs}, then the JVM exits with {@link Worker#EXIT_ABANDONED}. The parent's exit is
     * watched too ({@link ProcessHandle#onExit()}), for a task that leaves the queue full and so
     * keeps the reader from reading as far as the end.
     */
    private static void watchParent(Channel channel, AtomicBoolean finished, long graceMs) {
        CompletableFuture<Void> gone = new CompletableFuture<>();
        channel.onClose().whenComplete((v, e) -> {
            if (!channel.closedHere()) { // not the task's own close()
                gone.complete(null);
            }
        });
        ProcessHandle.current().parent().ifPresent(p -> p.onExit().thenRun(() -> gone.complete(null)));
        gone.thenRun(() -> {
            Thread t = new Thread(() -> {
                try {
                    Thread.sleep(graceMs);
                } catch (InterruptedException e) {
                    return;
                }
                if (!finished.get()) {
                    System.err.println("spawnkit worker: the channel to the parent ended and the task did not finish within "
                            + graceMs + " ms; exiting");
                    System.exit(Worker.EXIT_ABANDONED);
                }
            }, "spawnkit worker exit watch");
            t.setDaemon(true);
            t.start();
        });
    }

    /**
     * Closes inherited descriptor {@code fd} once the channel's stream has its own. On Linux the
     * stream holds a new open file description of the pipe, so while 3 or 4 stayed open too the
     * task's {@link Channel#close()} was no end for the parent: no end of stream on its reads, no
     * EPIPE on its writes, until this JVM exited. Needs native access ({@link Os}, granted by
     * {@link WorkerSpec}); without it, or off Linux, the parent sees the end when the worker exits.
     */
    private static void closeInherited(int fd) {
        try {
            Os.close(fd);
        } catch (UnsupportedOperationException e) {
            // no native access here: the descriptor stays open until the exit
        }
    }

    private static void bootstrapFailed(String what, Throwable e) {
        System.err.println("spawnkit worker: " + what + ": " + e);
        e.printStackTrace();
        System.exit(Worker.EXIT_BOOTSTRAP_FAILED);
    }

    /** The worker's end: blocking writes of whole frames, one at a time. */
    private static final class StreamSink implements Channel.Sink {
        private final OutputStream out;
        private boolean closed;

        StreamSink(OutputStream out) {
            this.out = out;
        }

        @Override
        public synchronized CompletableFuture<Void> write(byte[] frame) {
            if (closed) {
                return CompletableFuture.failedFuture(new IOException("channel closed"));
            }
            try {
                out.write(frame);
                return CompletableFuture.completedFuture(null);
            } catch (IOException e) {
                return CompletableFuture.failedFuture(e);
            }
        }

        @Override
        public synchronized void close() {
            if (!closed) {
                closed = true;
                try {
                    out.close();
                } catch (IOException ignored) {
                    // the parent is gone
                }
            }
        }
    }
}
