package io.spawnkit.testhelper;

import io.spawnkit.Command;
import io.spawnkit.Output;
import io.spawnkit.Stdio;
import io.spawnkit.os.Os;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.stream.Stream;

/**
 * The fd census above a lowered RLIMIT_NOFILE, run as a JVM of its own so that the test JVM keeps
 * its limit. Opens 49 descriptors on /dev/null and a listening socket, none close-on-exec, moves
 * most of them above {@value #LIMIT}, lowers its soft RLIMIT_NOFILE to {@value #LIMIT} (setrlimit
 * through FFM; the hard limit stays), then spawns through spawnkit (the backend its
 * {@code spawnkit.backend} property picks) a shell that lists its descriptors. Code that closes
 * "every descriptor below the limit" in the child would leave those above it open.
 *
 * <p>Prints, a line each: {@code high N,N,...} (our descriptors at or above the limit),
 * {@code census N,N,...} (the child's, given nothing), and with the argument {@code give}:
 * {@code given N,N,...} (the child's, given the socket, which sits above the limit, as its
 * descriptor 3) and
 * {@code same-socket true|false} (whether the child's 3 is our socket).
 * Needs spawnkit's main classes on the class path.
 */
public final class FdCensusDriver {
    private FdCensusDriver() {}

    static final int LIMIT = 64;
    private static final int RLIMIT_NOFILE = 7;
    private static final String LIST_FDS =
            "for f in /proc/self/fd/*; do [ -e \"$f\" ] && echo \"${f##*/}\"; done; exit 0";

    private static final Linker LINKER = Linker.nativeLinker();
    private static final MethodHandle OPEN = handle("open",
            FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.JAVA_INT, ValueLayout.JAVA_INT),
            Linker.Option.firstVariadicArg(2));
    private static final MethodHandle DUP2 = handle("dup2",
            FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_INT));
    private static final MethodHandle CLOSE = handle("close", FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT));
    private static final MethodHandle GETRLIMIT = handle("getrlimit",
            FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.ADDRESS));
    private static final MethodHandle SETRLIMIT = handle("setrlimit",
            FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.ADDRESS));

    private static MethodHandle handle(String name, FunctionDescriptor fd, Linker.Option... options) {
        return LINKER.downcallHandle(LINKER.defaultLookup().find(name).orElseThrow(), fd, options);
    }

    public static void main(String[] args) throws Throwable {
        boolean give = args.length > 0 && args[0].equals("give");
        List<Integer> ours = new ArrayList<>();
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment devNull = arena.allocateFrom("/dev/null");
            for (int i = 0; i < 49; i++) {
                int fd = (int) OPEN.invokeExact(devNull, 0, 0); // O_RDONLY, no O_CLOEXEC
                check(fd, "open");
                if (i % 4 != 0) { // three in four go above the limit, up to 1,000
                    int high = i == 47 ? 1000 : LIMIT + i * 7;
                    check((int) DUP2.invokeExact(fd, high), "dup2");
                    check((int) CLOSE.invokeExact(fd), "close");
                    fd = high;
                }
                ours.add(fd);
            }
        }
        // a listening socket on loopback, moved to 200 by dup2 (which never sets close-on-exec)
        // found by its inode: a number may have been another descriptor's a moment before
        List<String> socketsBefore = new ArrayList<>();
        for (int fd : openFds()) {
            socketsBefore.add(target(fd));
        }
        ServerSocketChannel server = ServerSocketChannel.open().bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        int opened = -1;
        for (int fd : openFds()) {
            String t = target(fd);
            if (t.startsWith("socket:") && !socketsBefore.contains(t)) {
                opened = fd;
            }
        }
        int socket = 200;
        check((int) DUP2.invokeExact(opened, socket), "dup2");
        ours.add(socket);
        String socketTarget = Files.readSymbolicLink(Path.of("/proc/self/fd/" + socket)).toString();

        lowerSoftLimit(LIMIT);

        StringBuilder high = new StringBuilder();
        for (int fd : openFds()) {
            if (fd >= LIMIT) {
                high.append(high.isEmpty() ? "" : ",").append(fd);
            }
        }
        System.out.println("high " + high);
        Output census = Command.of("sh", "-c", LIST_FDS).output();
        System.out.println("census " + join(census.stdoutText()));
        if (give) {
            // the socket (200) is above the soft limit: glibc's posix_spawn_file_actions_adddup2
            // refuses such a source (EBADF), so the Linux backend hands over a copy below it
            Output given = Command.of("sh", "-c", LIST_FDS).fd(3, Stdio.fd(socket)).output();
            System.out.println("given " + join(given.stdoutText()));
            Output link = Command.of("readlink", "/proc/self/fd/3").fd(3, Stdio.fd(socket)).output();
            System.out.println("same-socket " + link.stdoutText().strip().equals(socketTarget));
            // the same for Os.exec, which hands fd 0..2 to posix_spawn through the same glibc call
            int[] pipe = Os.pipe();
            int code = Os.exec(List.of("readlink", "/proc/self/fd/0"),
                    Os.ExecOptions.DEFAULTS.stdin(socket).stdout(pipe[1]));
            Os.close(pipe[1]);
            byte[] buf = new byte[4096];
            StringBuilder read = new StringBuilder();
            for (int n; (n = Os.read(pipe[0], buf, 0, buf.length)) > 0; ) {
                read.append(new String(buf, 0, n, java.nio.charset.StandardCharsets.UTF_8));
            }
            Os.close(pipe[0]);
            System.out.println("os-exec " + code + " same-socket " + read.toString().strip().equals(socketTarget));
        }
        server.close();
        System.out.flush();
    }

    private static void lowerSoftLimit(long soft) throws Throwable {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment rlim = arena.allocate(ValueLayout.JAVA_LONG, 2); // struct rlimit {rlim_cur, rlim_max}
            check((int) GETRLIMIT.invokeExact(RLIMIT_NOFILE, rlim), "getrlimit");
            rlim.setAtIndex(ValueLayout.JAVA_LONG, 0, soft);
            check((int) SETRLIMIT.invokeExact(RLIMIT_NOFILE, rlim), "setrlimit");
        }
    }

    private static String join(String lines) {
        return String.join(",", lines.strip().split("\n"));
    }

    private static TreeSet<Integer> openFds() throws IOException {
        TreeSet<Integer> fds = new TreeSet<>();
        try (Stream<Path> s = Files.list(Path.of("/proc/self/fd"))) {
            for (Path p : s.toList()) {
                if (Files.exists(p)) {
                    fds.add(Integer.parseInt(p.getFileName().toString()));
                }
            }
        }
        return fds;
    }

    private static String target(int fd) {
        try {
            return Files.readSymbolicLink(Path.of("/proc/self/fd/" + fd)).toString();
        } catch (IOException closedMeanwhile) {
            return "";
        }
    }

    private static void check(int r, String call) {
        if (r < 0) {
            throw new IllegalStateException(call + " failed: " + r);
        }
    }
}
