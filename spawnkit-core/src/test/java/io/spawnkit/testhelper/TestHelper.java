package io.spawnkit.testhelper;

import java.io.ByteArrayOutputStream;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicLong;
import java.util.zip.CRC32;

/**
 * The child program of the test suite, in the style of libuv's {@code spawn_helper} and Go's
 * {@code TestMain} helpers: one {@code main}, the first argument names a behaviour. Tests start it
 * through {@code io.spawnkit.Helper.command(behaviour, args...)}.
 *
 * <pre>
 *   echo ARGS...            each argument on a line of its own
 *   cat                     stdin to stdout
 *   exit N                  exit with N
 *   sleep MS                sleep, then exit 0
 *   print-bytes N [FD]      N bytes of the pattern i % 256 to stdout (or FD); "crc32=HEX" on stderr
 *   both N                  N pattern bytes to stdout and to stderr, interleaved, while stdin is
 *                           drained; at the end "\nstdin=COUNT\n" on stderr
 *   list-fds                the names in /proc/self/fd (the listing's own descriptor left out);
 *                           a JVM has descriptors of its own: prefer a shell for a census
 *   signal-state            the SigBlk and SigIgn lines of /proc/self/status (of a JVM: not zero)
 *   env NAME                the variable's value, or "&lt;unset&gt;"
 *   pwd                     the working directory
 *   write-fd FD TEXT        TEXT written to descriptor FD (write(2) on the raw descriptor)
 *   read-fd FD              descriptor FD read to EOF, printed to stdout
 *   kill-self SIG           /bin/kill -s SIG on its own pid, then waits to die (exit 99 if it does not)
 *   grandchild MS           starts "sleep" (MS) with our stdout, prints its pid on stderr, exits 0 at once
 *   stderr TEXT             TEXT on stderr, no newline added
 *   exit-without-reading    exits 0 at once, stdin unread
 *   lines N                 "line 1" ... "line N"
 *   pid                     its own pid
 * </pre>
 */
public final class TestHelper {
    private TestHelper() {}

    public static void main(String[] args) throws Exception {
        if (args.length == 0) {
            System.err.println("usage: TestHelper BEHAVIOUR [ARGS...]");
            System.exit(2);
        }
        String[] rest = java.util.Arrays.copyOfRange(args, 1, args.length);
        PrintStream out = new PrintStream(new FileOutputStream(FileDescriptor.out), true, StandardCharsets.UTF_8);
        switch (args[0]) {
            case "echo" -> {
                StringBuilder sb = new StringBuilder();
                for (String a : rest) {
                    sb.append(a).append('\n');
                }
                out.print(sb);
            }
            case "cat" -> System.in.transferTo(new FileOutputStream(FileDescriptor.out));
            case "exit" -> System.exit(Integer.parseInt(rest[0]));
            case "sleep" -> Thread.sleep(Long.parseLong(rest[0]));
            case "print-bytes" -> printBytes(Long.parseLong(rest[0]), rest.length > 1 ? Integer.parseInt(rest[1]) : 1);
            case "both" -> both(Integer.parseInt(rest[0]));
            case "list-fds" -> listFds(out);
            case "signal-state" -> {
                for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                    if (line.startsWith("SigBlk") || line.startsWith("SigIgn")) {
                        out.println(line);
                    }
                }
            }
            case "env" -> {
                String v = System.getenv(rest[0]);
                out.println(v != null ? v : "<unset>");
            }
            case "pwd" -> out.println(Path.of("").toAbsolutePath());
            case "write-fd" -> RawFd.writeFully(Integer.parseInt(rest[0]), rest[1].getBytes(StandardCharsets.UTF_8));
            case "read-fd" -> {
                byte[] all = RawFd.readAll(Integer.parseInt(rest[0]));
                FileOutputStream o = new FileOutputStream(FileDescriptor.out);
                o.write(all);
                o.flush();
            }
            case "kill-self" -> {
                long pid = ProcessHandle.current().pid();
                new ProcessBuilder("/bin/kill", "-s", rest[0], Long.toString(pid)).inheritIO().start().waitFor();
                Thread.sleep(10_000);
                System.exit(99);
            }
            case "grandchild" -> {
                String seconds = String.format(java.util.Locale.ROOT, "%.3f", Long.parseLong(rest[0]) / 1000.0);
                Process p = new ProcessBuilder("sleep", seconds)
                        .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                        .redirectOutput(ProcessBuilder.Redirect.INHERIT)
                        .redirectError(ProcessBuilder.Redirect.DISCARD)
                        .start();
                System.err.println(p.pid());
                System.err.flush();
                Runtime.getRuntime().halt(0);
            }
            case "stderr" -> {
                System.err.print(rest[0]);
                System.err.flush();
            }
            case "exit-without-reading" -> Runtime.getRuntime().halt(0);
            case "lines" -> {
                int n = Integer.parseInt(rest[0]);
                StringBuilder sb = new StringBuilder();
                for (int i = 1; i <= n; i++) {
                    sb.append("line ").append(i).append('\n');
                }
                out.print(sb);
            }
            case "pid" -> out.println(ProcessHandle.current().pid());
            case "spawn-through-spawnkit" -> {
                // which backend this JVM chose, and that it can run a child: for the fallback tests
                // (needs spawnkit's main classes on the class path, see BackendChoiceTest)
                out.println(io.spawnkit.internal.Backends.get().name());
                out.println(io.spawnkit.Command.of("sh", "-c", "echo child-ran").output().stdoutText().strip());
            }
            default -> {
                System.err.println("TestHelper: unknown behaviour " + args[0]);
                System.exit(2);
            }
        }
        out.flush();
        System.exit(0);
    }

    /** Byte {@code i} of every pattern stream. */
    public static byte patternByte(long i) {
        return (byte) i;
    }

    private static void fillPattern(byte[] buf, long offset) {
        for (int i = 0; i < buf.length; i++) {
            buf[i] = (byte) (offset + i);
        }
    }

    private static void printBytes(long n, int fd) throws IOException {
        CRC32 crc = new CRC32();
        byte[] buf = new byte[64 * 1024];
        fillPattern(buf, 0); // 64 KiB is a multiple of 256: every chunk starts at pattern offset 0
        OutputStream o = switch (fd) {
            case 1 -> new FileOutputStream(FileDescriptor.out);
            case 2 -> new FileOutputStream(FileDescriptor.err);
            default -> null;
        };
        long left = n;
        while (left > 0) {
            int len = (int) Math.min(buf.length, left);
            if (o != null) {
                o.write(buf, 0, len);
            } else {
                RawFd.writeFully(fd, java.util.Arrays.copyOf(buf, len));
            }
            crc.update(buf, 0, len);
            left -= len;
        }
        if (o != null) {
            o.flush();
        }
        if (fd != 2) {
            System.err.print("crc32=" + Long.toHexString(crc.getValue()) + "\n");
            System.err.flush();
        }
    }

    /**
     * CPython's deadlock case: writes to both output pipes while the parent writes to our stdin.
     * A parent that serialises the three streams blocks forever once a pipe buffer is full.
     */
    private static void both(int n) throws Exception {
        AtomicLong stdinCount = new AtomicLong();
        Thread drain = new Thread(() -> {
            byte[] b = new byte[8192];
            try {
                InputStream in = new java.io.FileInputStream(FileDescriptor.in);
                int r;
                while ((r = in.read(b)) >= 0) {
                    stdinCount.addAndGet(r);
                }
            } catch (IOException e) {
                stdinCount.set(-1);
            }
        });
        drain.start();
        FileOutputStream out = new FileOutputStream(FileDescriptor.out);
        FileOutputStream err = new FileOutputStream(FileDescriptor.err);
        byte[] buf = new byte[4096];
        fillPattern(buf, 0);
        for (int done = 0; done < n; done += buf.length) {
            int len = Math.min(buf.length, n - done);
            out.write(buf, 0, len);
            err.write(buf, 0, len);
        }
        drain.join();
        err.write(("\nstdin=" + stdinCount.get() + "\n").getBytes(StandardCharsets.US_ASCII));
    }

    private static void listFds(PrintStream out) throws IOException {
        TreeSet<Integer> fds = new TreeSet<>();
        Path dir = Path.of("/proc/self/fd");
        List<Path> entries = new ArrayList<>();
        try (var s = Files.newDirectoryStream(dir)) {
            s.forEach(entries::add);
        }
        // Once the listing's own descriptor is closed, its entry no longer resolves.
        for (Path p : entries) {
            if (Files.exists(p)) {
                fds.add(Integer.parseInt(p.getFileName().toString()));
            }
        }
        for (int fd : fds) {
            out.println(fd);
        }
    }

    /** read(2)/write(2) on raw descriptor numbers, which java.io cannot name. */
    static final class RawFd {
        private static final Linker LINKER = Linker.nativeLinker();
        private static final MethodHandle WRITE = LINKER.downcallHandle(LINKER.defaultLookup().find("write").orElseThrow(),
                FunctionDescriptor.of(ValueLayout.JAVA_LONG, ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.JAVA_LONG));
        private static final MethodHandle READ = LINKER.downcallHandle(LINKER.defaultLookup().find("read").orElseThrow(),
                FunctionDescriptor.of(ValueLayout.JAVA_LONG, ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.JAVA_LONG));

        static void writeFully(int fd, byte[] data) throws IOException {
            try (Arena arena = Arena.ofConfined()) {
                MemorySegment buf = arena.allocate(Math.max(1, data.length));
                MemorySegment.copy(data, 0, buf, ValueLayout.JAVA_BYTE, 0, data.length);
                long off = 0;
                while (off < data.length) {
                    long r = (long) WRITE.invokeExact(fd, buf.asSlice(off), (long) data.length - off);
                    if (r < 0) {
                        throw new IOException("write(" + fd + ") failed");
                    }
                    off += r;
                }
            } catch (IOException | RuntimeException | Error e) {
                throw e;
            } catch (Throwable t) {
                throw new IOException(t);
            }
        }

        static byte[] readAll(int fd) throws IOException {
            ByteArrayOutputStream all = new ByteArrayOutputStream();
            try (Arena arena = Arena.ofConfined()) {
                MemorySegment buf = arena.allocate(65536);
                while (true) {
                    long r = (long) READ.invokeExact(fd, buf, 65536L);
                    if (r < 0) {
                        throw new IOException("read(" + fd + ") failed");
                    }
                    if (r == 0) {
                        return all.toByteArray();
                    }
                    all.write(buf.asSlice(0, r).toArray(ValueLayout.JAVA_BYTE));
                }
            } catch (IOException | RuntimeException | Error e) {
                throw e;
            } catch (Throwable t) {
                throw new IOException(t);
            }
        }
    }
}
