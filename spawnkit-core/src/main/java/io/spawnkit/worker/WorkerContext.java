package io.spawnkit.worker;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * What a {@link WorkerTask} is given in the worker JVM: its channel to the parent, its arguments,
 * and the descriptors the parent passed with {@link WorkerSpec#passFd(int, io.spawnkit.Stdio)}
 * ({@link #openInput(int)}, {@link #openOutput(int)}).
 */
public final class WorkerContext {
    private final Channel channel;
    private final List<String> args;
    private final Set<Integer> fds;
    private final long parentPid;
    private final Set<Integer> opened = new HashSet<>();

    WorkerContext(Channel channel, List<String> args, Set<Integer> fds, long parentPid) {
        this.channel = channel;
        this.args = List.copyOf(args);
        this.fds = Set.copyOf(fds);
        this.parentPid = parentPid;
    }

    /** The channel to the parent. */
    public Channel channel() {
        return channel;
    }

    /** The arguments given to {@link WorkerSpec#args(String...)}. */
    public List<String> args() {
        return args;
    }

    /** The parent's process id, as it was when the worker started (-1 if unknown). */
    public long parentPid() {
        return parentPid;
    }

    /**
     * A path that opens descriptor {@code fd} the parent passed: {@code /dev/fd/N} (on Linux this
     * reopens the file or pipe; {@code Files.newInputStream(context.fd(5))}). POSIX only: the
     * descriptor itself stays open, so a pipe's peer sees its end only when this worker exits;
     * {@link #openInput(int)} and {@link #openOutput(int)} do not have that flaw and work everywhere.
     *
     * @throws IllegalArgumentException      the parent passed no such descriptor
     * @throws UnsupportedOperationException on Windows, which has no {@code /dev/fd}
     */
    public Path fd(int fd) {
        requirePassed(fd);
        if (WorkerMain.windows()) {
            throw new UnsupportedOperationException("WorkerContext.fd(" + fd + "): Windows has no /dev/fd;"
                    + " use openInput(" + fd + ") or openOutput(" + fd + ")");
        }
        return WorkerMain.fdPath(fd);
    }

    /**
     * Opens descriptor {@code fd} the parent passed for reading, and takes it: the descriptor is
     * closed in this worker once the stream holds its own copy, so closing the stream is the end
     * for the peer (a pipe's writer then sees EPIPE / ERROR_NO_DATA). Once per descriptor.
     * Linux and macOS: {@code /dev/fd/N}, then {@code close(N)} through {@link io.spawnkit.os.Os}
     * (without native access the descriptor stays open until the worker exits). Windows: the C
     * runtime descriptor's handle ({@code _get_osfhandle}, duplicated, {@code _close}), read with
     * {@code ReadFile}; end of stream when the writer closed its end.
     *
     * @throws IllegalArgumentException the parent passed no such descriptor
     * @throws IllegalStateException    it was opened already
     * @throws IOException              it could not be opened
     */
    public InputStream openInput(int fd) throws IOException {
        take(fd);
        return WorkerMain.openInput(fd);
    }

    /** {@link #openInput(int)} for writing ({@code WriteFile} on Windows). */
    public OutputStream openOutput(int fd) throws IOException {
        take(fd);
        return WorkerMain.openOutput(fd);
    }

    private void take(int fd) {
        requirePassed(fd);
        synchronized (opened) {
            if (!opened.add(fd)) {
                throw new IllegalStateException("descriptor " + fd + " was opened already (a descriptor is opened once)");
            }
        }
    }

    private void requirePassed(int fd) {
        if (!fds.contains(fd)) {
            throw new IllegalArgumentException("descriptor " + fd + " was not passed to this worker (passed: " + fds + ")");
        }
    }
}
