package io.spawnkit.worker;

import java.nio.file.Path;
import java.util.List;
import java.util.Set;

/**
 * What a {@link WorkerTask} is given in the worker JVM: its channel to the parent, its arguments,
 * and the descriptors the parent passed with {@link WorkerSpec#passFd(int, io.spawnkit.Stdio)}.
 */
public final class WorkerContext {
    private final Channel channel;
    private final List<String> args;
    private final Set<Integer> fds;
    private final long parentPid;

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
     * reopens the file or pipe; {@code Files.newInputStream(context.fd(5))}).
     *
     * @throws IllegalArgumentException the parent passed no such descriptor
     */
    public Path fd(int fd) {
        if (!fds.contains(fd)) {
            throw new IllegalArgumentException("descriptor " + fd + " was not passed to this worker (passed: " + fds + ")");
        }
        return WorkerMain.fdPath(fd);
    }
}
