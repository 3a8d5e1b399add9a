package io.spawnkit.internal.linux;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import io.spawnkit.SpawnException;
import io.spawnkit.Stdio;
import io.spawnkit.internal.Backend;
import io.spawnkit.internal.EnvBlock;
import io.spawnkit.internal.Log;
import io.spawnkit.internal.NativeChild;
import io.spawnkit.internal.SpawnRequest;
import io.spawnkit.internal.Timers;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * The Linux backend: {@code posix_spawn} (glibc's clone(CLONE_VM|CLONE_VFORK), one exec, errors
 * such as ENOENT reported by the call itself), {@code pidfd_open} right after, and one
 * {@link EpollLoop} for exits, pipes and timers.
 *
 * <p>What the child gets, whatever other threads do meanwhile: every descriptor we create is
 * O_CLOEXEC from birth; the file actions dup2 exactly the wanted ones into place ({@link FdPlan})
 * and {@code closefrom} the rest (glibc 2.34), so descriptors that other code opened without
 * O_CLOEXEC do not leak either. The signal mask is emptied and every signal reset to its default,
 * whatever the JVM blocks or ignores.
 *
 * <p>Probed once: {@code pidfd_open} (Linux 5.3; seccomp filters may refuse it) -- without it the
 * exit is found by polling {@code waitpid(pid, WNOHANG)}, which is safe (the pid is ours until we
 * reap it) but slower; {@code addclosefrom_np} (glibc 2.34) -- without it the descriptors open
 * at spawn time are listed and closed one by one, which a concurrent open without O_CLOEXEC can
 * race; {@code addchdir_np} (glibc 2.29) -- without it a working directory is refused.
 * {@code -Dspawnkit.linux.pidfd=false} forces the polling path (for tests).
 */
public final class LinuxBackend implements Backend {
    private final EpollLoop loop;
    private volatile boolean pidfdUsable = !"false".equals(System.getProperty("spawnkit.linux.pidfd"));
    private final int devNull;
    /** envp of this JVM's own environment, built at the first spawn that inherits it, kept for good. */
    private volatile MemorySegment inheritedEnvp;

    /**
     * @throws IllegalCallerException native access is not granted to this module
     * @throws UnsatisfiedLinkError   libc lacks a function we need (not glibc?)
     */
    public LinuxBackend() {
        try (Arena arena = Arena.ofConfined()) {
            // probe the bindings now, so a missing function shows at start-up, not at the first spawn
            devNull = LibC.aboveStdio(LibC.open(arena.allocateFrom("/dev/null"), LibC.O_RDWR | LibC.O_CLOEXEC, 0));
        }
        if (devNull < 0) {
            throw new UnsupportedOperationException("cannot open /dev/null: " + LibC.errnoName(-devNull));
        }
        if (LibC.FA_ADDCLOSEFROM_NP.isEmpty()) {
            Log.warn("spawnkit: glibc lacks posix_spawn_file_actions_addclosefrom_np"
                    + " (glibc < 2.34): descriptors are closed one by one in the child, which races with"
                    + " other threads opening descriptors without O_CLOEXEC");
        }
        loop = new EpollLoop();
    }

    @Override
    public String name() {
        return "linux";
    }

    @Override
    public Timers timers() {
        return loop;
    }

    @Override
    public void prepare() {
        inheritedEnvp(); // the calls a spawn makes and the loop are ready since the constructor
        LibC.linkReadWrite();
    }

    @Override
    public NativeChild spawn(SpawnRequest req) {
        if (req.directory() != null && LibC.FA_ADDCHDIR_NP.isEmpty()) {
            throw new UnsupportedOperationException("a working directory needs posix_spawn_file_actions_addchdir_np"
                    + " (glibc 2.29); this libc lacks it");
        }
        List<Integer> childEnds = new ArrayList<>(req.transferred()); // closed in this JVM after the spawn
        List<Integer> ourEnds = new ArrayList<>();                  // closed only if the spawn fails
        Map<Integer, Integer> readFds = new HashMap<>();   // child fd -> our read end
        Map<Integer, Integer> writeFds = new HashMap<>();  // child fd -> our write end
        Map<Integer, Boolean> sockets = new HashMap<>();
        Map<Integer, byte[]> feeds = new HashMap<>();
        boolean spawned = false;
        try (Arena arena = Arena.ofConfined()) {
            SortedMap<Integer, Integer> wanted = new TreeMap<>();
            MemorySegment pair = arena.allocate(JAVA_INT, 2);
            for (Map.Entry<Integer, Stdio> e : req.stdio().entrySet()) {
                int fd = e.getKey();
                switch (e.getValue()) {
                    case Stdio.Inherit i -> wanted.put(fd, LibC.fcntl(fd, LibC.F_GETFD, 0) >= 0 ? fd : -1);
                    case Stdio.Ignore i -> wanted.put(fd, devNull);
                    case Stdio.ParentFd p -> {
                        if (LibC.fcntl(p.fd(), LibC.F_GETFD, 0) < 0) {
                            throw new SpawnException("descriptor " + p.fd() + " given for the child's fd " + fd
                                    + " is not open in this process", req.program(), req.directory(), "fcntl", Errno.EBADF, "EBADF");
                        }
                        wanted.put(fd, belowFileLimit(req, p.fd(), childEnds));
                    }
                    case Stdio.ReadFile f -> wanted.put(fd, openFile(arena, req, f.path(), LibC.O_RDONLY, childEnds));
                    case Stdio.WriteFile f -> wanted.put(fd, openFile(arena, req, f.path(),
                            LibC.O_WRONLY | LibC.O_CREAT | (f.append() ? LibC.O_APPEND : LibC.O_TRUNC), childEnds));
                    case Stdio.Bytes b -> {
                        wanted.put(fd, pipe(arena, req, pair, false, childEnds, ourEnds, writeFds, fd));
                        feeds.put(fd, b.data());
                    }
                    case Stdio.Pipe p -> {
                        Stdio.Direction d = p.directionFor(fd);
                        if (d == Stdio.Direction.DUPLEX) {
                            wanted.put(fd, socketPair(req, pair, childEnds, ourEnds, readFds, writeFds, fd));
                            sockets.put(fd, true);
                        } else {
                            boolean childWrites = d == Stdio.Direction.CHILD_WRITES;
                            wanted.put(fd, pipe(arena, req, pair, childWrites, childEnds, ourEnds,
                                    childWrites ? readFds : writeFds, fd));
                        }
                    }
                    case Stdio.SameAs s -> { } // below, once its target is known
                    case Stdio.FromChild f -> throw new IllegalStateException("Command resolves FromChild before spawning");
                }
            }
            for (Map.Entry<Integer, Stdio> e : req.stdio().entrySet()) {
                if (e.getValue() instanceof Stdio.SameAs s) {
                    wanted.put(e.getKey(), wanted.get(s.childFd()));
                }
            }
            int pid = posixSpawn(arena, req, wanted);
            spawned = true;
            return started(req, pid, readFds, writeFds, sockets, feeds);
        } finally {
            for (int fd : childEnds) {
                LibC.close(fd);
            }
            if (!spawned) {
                for (int fd : ourEnds) {
                    LibC.close(fd);
                }
            }
        }
    }

    /**
     * {@code fd}, or a close-on-exec copy of it below the soft RLIMIT_NOFILE (closed after the
     * spawn): glibc's {@code posix_spawn_file_actions_adddup2} refuses a source at or above that
     * limit with EBADF, though the kernel's dup2 would take it.
     */
    private static int belowFileLimit(SpawnRequest req, int fd, List<Integer> childEnds) {
        return check(req, belowFileLimit(fd, childEnds), "fcntl(F_DUPFD_CLOEXEC)");
    }

    /**
     * {@code fd}, or a close-on-exec copy of it below the soft RLIMIT_NOFILE added to
     * {@code copies} (the caller closes them after the spawn), or {@code -errno} when the copy
     * fails. Shared with {@link LinuxOs#spawn}.
     */
    static int belowFileLimit(int fd, List<Integer> copies) {
        long limit = LibC.softFileLimit();
        if (limit < 0 || fd < limit) {
            return fd;
        }
        int copy = LibC.fcntl(fd, LibC.F_DUPFD_CLOEXEC, 3);
        if (copy >= 0) {
            copies.add(copy);
        }
        return copy;
    }

    private int openFile(Arena arena, SpawnRequest req, Path path, int flags, List<Integer> childEnds) {
        int fd = LibC.aboveStdio(LibC.open(arena.allocateFrom(path.toString()), flags | LibC.O_CLOEXEC, 0666));
        if (fd < 0) {
            throw new SpawnException("cannot open " + path + ": " + LibC.strerror(-fd), req.program(), req.directory(),
                    "open", -fd, LibC.errnoName(-fd));
        }
        childEnds.add(fd);
        return fd;
    }

    /** A pipe; returns the child's end, keeps ours (non-blocking) in {@code ours}. */
    private int pipe(Arena arena, SpawnRequest req, MemorySegment pair, boolean childWrites,
            List<Integer> childEnds, List<Integer> ourEnds, Map<Integer, Integer> ours, int childFd) {
        check(req, LibC.pipe2(pair, LibC.O_CLOEXEC), "pipe2");
        int[] ends = aboveStdio(req, pair);
        int readEnd = ends[0];
        int writeEnd = ends[1];
        int child = childWrites ? writeEnd : readEnd;
        int our = childWrites ? readEnd : writeEnd;
        childEnds.add(child);
        ourEnds.add(our);
        ours.put(childFd, our);
        check(req, LibC.fcntl(our, LibC.F_SETFL, LibC.O_NONBLOCK), "fcntl(O_NONBLOCK)");
        if (req.pipeSize() > 0) {
            check(req, LibC.fcntl(our, LibC.F_SETPIPE_SZ, req.pipeSize()), "fcntl(F_SETPIPE_SZ, " + req.pipeSize() + ")");
        }
        return child;
    }

    /** A socket pair for a duplex descriptor; we read and write our end through two descriptors. */
    private int socketPair(SpawnRequest req, MemorySegment pair, List<Integer> childEnds, List<Integer> ourEnds,
            Map<Integer, Integer> readFds, Map<Integer, Integer> writeFds, int childFd) {
        check(req, LibC.socketpair(LibC.AF_UNIX, LibC.SOCK_STREAM | LibC.SOCK_CLOEXEC, 0, pair), "socketpair");
        int[] ends = aboveStdio(req, pair);
        int our = ends[0];
        int child = ends[1];
        childEnds.add(child);
        ourEnds.add(our);
        check(req, LibC.fcntl(our, LibC.F_SETFL, LibC.O_NONBLOCK), "fcntl(O_NONBLOCK)");
        int ourWrite = check(req, LibC.fcntl(our, LibC.F_DUPFD_CLOEXEC, 3), "fcntl(F_DUPFD_CLOEXEC)");
        ourEnds.add(ourWrite);
        readFds.put(childFd, our);
        writeFds.put(childFd, ourWrite);
        return child;
    }

    /** The two descriptors a pipe2 or socketpair left in {@code pair}, moved off 0..2 ({@link LibC#aboveStdio}). */
    private static int[] aboveStdio(SpawnRequest req, MemorySegment pair) {
        int first = LibC.aboveStdio(pair.getAtIndex(JAVA_INT, 0));
        int second = LibC.aboveStdio(pair.getAtIndex(JAVA_INT, 1));
        if (first < 0 || second < 0) {
            LibC.close(Math.max(first, second)); // the one that moved, if one did
            spawnCheck(req, -Math.min(first, second), "fcntl(F_DUPFD_CLOEXEC)");
        }
        return new int[] {first, second};
    }

    /** {@link #spawnCheck} for the -errno convention of {@link LibC}. */
    private static int check(SpawnRequest req, int r, String call) {
        if (r < 0) {
            spawnCheck(req, -r, call);
        }
        return r;
    }

    private int posixSpawn(Arena arena, SpawnRequest req, SortedMap<Integer, Integer> wanted) {
        MemorySegment fa = arena.allocate(LibC.SIZEOF_POSIX_SPAWN_FILE_ACTIONS_T, 16);
        MemorySegment attr = arena.allocate(LibC.SIZEOF_POSIX_SPAWNATTR_T, 16);
        spawnCheck(req, LibC.posix_spawn_file_actions_init(fa), "posix_spawn_file_actions_init");
        try {
            spawnCheck(req, LibC.posix_spawnattr_init(attr), "posix_spawnattr_init");
            try {
                fileActions(arena, req, fa, wanted);
                attributes(arena, req, attr);
                MemorySegment argv = cStrings(arena, req.argv());
                MemorySegment envp = req.env().isInherited() ? inheritedEnvp() : cStrings(arena, req.env().entries());
                MemorySegment pid = arena.allocate(JAVA_INT);
                int err = LibC.posix_spawn(pid, arena.allocateFrom(req.executable()), fa, attr, argv, envp);
                if (err != 0) {
                    throw spawnFailure(req, err);
                }
                return pid.get(JAVA_INT, 0);
            } finally {
                LibC.posix_spawnattr_destroy(attr);
            }
        } finally {
            LibC.posix_spawn_file_actions_destroy(fa);
        }
    }

    private static SpawnException spawnFailure(SpawnRequest req, int err) {
        String detail = LibC.strerror(err);
        if (err == Errno.ENOENT && req.directory() != null && !Files.isDirectory(req.directory())) {
            return new SpawnException("no such directory", req.program(), req.directory(), "chdir", err, "ENOENT");
        }
        if (err == Errno.ENOENT || err == Errno.EACCES) {
            detail += " (executing " + req.executable() + ")";
        }
        return new SpawnException(detail, req.program(), req.directory(), "posix_spawn", err, LibC.errnoName(err));
    }

    private static void spawnCheck(SpawnRequest req, int err, String call) {
        if (err != 0) {
            throw new SpawnException(LibC.strerror(err), req.program(), req.directory(), call, err, LibC.errnoName(err));
        }
    }

    private void fileActions(Arena arena, SpawnRequest req, MemorySegment fa, SortedMap<Integer, Integer> wanted) {
        for (FdPlan.Action a : FdPlan.plan(wanted)) {
            switch (a) {
                case FdPlan.Dup2 d -> spawnCheck(req, LibC.posix_spawn_file_actions_adddup2(fa, d.from(), d.to()),
                        "posix_spawn_file_actions_adddup2");
                case FdPlan.Close c -> spawnCheck(req, LibC.posix_spawn_file_actions_addclose(fa, c.fd()),
                        "posix_spawn_file_actions_addclose");
                case FdPlan.CloseFrom c -> {
                    if (LibC.FA_ADDCLOSEFROM_NP.isPresent()) {
                        spawnCheck(req, LibC.posix_spawn_file_actions_addclosefrom_np(fa, c.lowest()),
                                "posix_spawn_file_actions_addclosefrom_np");
                    } else {
                        for (int fd : openDescriptorsFrom(c.lowest())) {
                            spawnCheck(req, LibC.posix_spawn_file_actions_addclose(fa, fd), "posix_spawn_file_actions_addclose");
                        }
                    }
                }
            }
        }
        if (req.directory() != null) {
            spawnCheck(req, LibC.posix_spawn_file_actions_addchdir_np(fa, arena.allocateFrom(req.directory().toString())),
                    "posix_spawn_file_actions_addchdir_np");
        }
    }

    private static List<Integer> openDescriptorsFrom(int lowest) {
        try (Stream<Path> s = Files.list(Path.of("/proc/self/fd"))) {
            return s.map(p -> Integer.parseInt(p.getFileName().toString())).filter(fd -> fd >= lowest).toList();
        } catch (IOException e) {
            throw new UnsupportedOperationException("cannot list /proc/self/fd to close descriptors in the child", e);
        }
    }

    private static void attributes(Arena arena, SpawnRequest req, MemorySegment attr) {
        MemorySegment empty = arena.allocate(LibC.SIZEOF_SIGSET_T, 8);
        MemorySegment all = arena.allocate(LibC.SIZEOF_SIGSET_T, 8);
        LibC.sigemptyset(empty);
        LibC.sigfillset(all);
        // glibc's sigfillset leaves out its internal signals 32 and 33 (SIGCANCEL, SIGSETXID), and its
        // spawn helper then sets them to SIG_IGN in the child, which survives the exec (SigIgn
        // 0000000180000000). Asking for SIG_DFL on every signal 1..64 gives the child the clean state
        // a shell-started process has.
        all.set(JAVA_LONG, 0, -1L);
        short flags = LibC.POSIX_SPAWN_SETSIGMASK | LibC.POSIX_SPAWN_SETSIGDEF;
        if (req.newSession()) {
            flags |= LibC.POSIX_SPAWN_SETSID;
        } else if (req.newProcessGroup()) {
            flags |= LibC.POSIX_SPAWN_SETPGROUP;
            spawnCheck(req, LibC.posix_spawnattr_setpgroup(attr, 0), "posix_spawnattr_setpgroup");
        }
        spawnCheck(req, LibC.posix_spawnattr_setsigmask(attr, empty), "posix_spawnattr_setsigmask");
        spawnCheck(req, LibC.posix_spawnattr_setsigdefault(attr, all), "posix_spawnattr_setsigdefault");
        spawnCheck(req, LibC.posix_spawnattr_setflags(attr, flags), "posix_spawnattr_setflags");
    }

    private MemorySegment inheritedEnvp() {
        MemorySegment envp = inheritedEnvp;
        if (envp == null) {
            synchronized (this) {
                envp = inheritedEnvp;
                if (envp == null) {
                    inheritedEnvp = envp = cStrings(Arena.global(), EnvBlock.inherited().entries());
                }
            }
        }
        return envp;
    }

    /** A NULL-terminated array of NUL-terminated UTF-8 strings. */
    static MemorySegment cStrings(Arena arena, List<String> strings) {
        MemorySegment array = arena.allocate(ADDRESS, strings.size() + 1L);
        for (int i = 0; i < strings.size(); i++) {
            array.setAtIndex(ADDRESS, i, arena.allocateFrom(strings.get(i)));
        }
        array.setAtIndex(ADDRESS, strings.size(), MemorySegment.NULL);
        return array;
    }

    private LinuxChild started(SpawnRequest req, int pid, Map<Integer, Integer> readFds,
            Map<Integer, Integer> writeFds, Map<Integer, Boolean> sockets, Map<Integer, byte[]> feeds) {
        int pidfd = -1;
        if (pidfdUsable) {
            pidfd = LibC.aboveStdio(LibC.pidfd_open(pid, 0));
            if (pidfd < 0) {
                int errno = -pidfd;
                if (errno == Errno.ENOSYS || errno == Errno.EPERM || errno == Errno.EINVAL) {
                    pidfdUsable = false;
                    Log.warn("spawnkit: pidfd_open failed with " + LibC.errnoName(errno)
                            + " (Linux < 5.3 or a seccomp filter); exits are now found by polling waitpid");
                }
                pidfd = -1; // ESRCH cannot happen for an unreaped child of ours; EMFILE: poll this one
            }
        }
        Map<Integer, PipeSource> sources = new HashMap<>();
        Map<Integer, PipeTarget> targets = new HashMap<>();
        readFds.forEach((fd, ours) -> sources.put(fd, new PipeSource(loop, ours, SpawnRequest.describeFd(fd) + " of pid " + pid)));
        writeFds.forEach((fd, ours) -> targets.put(fd, new PipeTarget(loop, ours, SpawnRequest.describeFd(fd), pid,
                sockets.getOrDefault(fd, false))));
        LinuxChild child = new LinuxChild(loop, pid, pidfd, req.ownsGroup(), sources, targets);
        feeds.forEach((fd, data) -> {
            PipeTarget t = targets.get(fd);
            t.write(java.nio.ByteBuffer.wrap(data));
            t.close();
        });
        return child;
    }
}
