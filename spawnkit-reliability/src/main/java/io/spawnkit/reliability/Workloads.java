package io.spawnkit.reliability;

import io.spawnkit.ChildProcess;
import io.spawnkit.Command;
import io.spawnkit.ExitStatus;
import io.spawnkit.Signal;
import io.spawnkit.SpawnException;
import io.spawnkit.Stdio;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.zip.CRC32;

/**
 * The soak's workloads: each one spawns one or a few small system programs through the public API,
 * checks every byte and the exit status it must get, and returns only once the child has ended
 * and its exit has been seen. A wait that takes longer than {@link #PATIENCE} is a problem (a hang),
 * and the child is killed so the soak goes on.
 */
final class Workloads {
    static final Duration PATIENCE = Duration.ofSeconds(60);
    private static final ExitStatus OK = new ExitStatus.Exited(0);
    private static final ExitStatus FALSE = new ExitStatus.Exited(1);
    private static final ExitStatus KILLED = new ExitStatus.Signaled(Signal.KILL, false);
    private static final ExitStatus TERMINATED = new ExitStatus.Signaled(Signal.TERM, false);
    private static final ExitStatus BROKEN_PIPE = new ExitStatus.Signaled(Signal.PIPE, false);

    /** One workload: a name for the figures, a weight in the mix, the work. */
    record Workload(String name, int weight, Run run) {}

    @FunctionalInterface
    interface Run {
        void run(Workloads w, SplittableRandom rnd) throws Exception;
    }

    static final List<Workload> MIX = List.of(
            new Workload("true/false", 20, Workloads::trueOrFalse),
            new Workload("failing spawn", 8, Workloads::failingSpawn),
            new Workload("echo through cat", 12, Workloads::echo),
            new Workload("zeros from head", 8, Workloads::zeros),
            new Workload("slow consumer", 4, Workloads::slowConsumer),
            new Workload("death after write", 6, Workloads::deathAfterWrite),
            new Workload("death mid-line", 6, Workloads::deathMidLine),
            new Workload("kill during output", 10, Workloads::killDuringOutput),
            new Workload("kill during input", 6, Workloads::killDuringInput),
            new Workload("timeout", 4, Workloads::timeout),
            new Workload("reader closes early", 4, Workloads::closeEarly));

    private final Ledger ledger;

    Workloads(Ledger ledger) {
        this.ledger = ledger;
    }

    static Workload pick(SplittableRandom rnd) {
        int total = 0;
        for (Workload w : MIX) {
            total += w.weight();
        }
        int r = rnd.nextInt(total);
        for (Workload w : MIX) {
            r -= w.weight();
            if (r < 0) {
                return w;
            }
        }
        throw new AssertionError();
    }

    // --- the workloads ---------------------------------------------------------------------------

    /** true, false, /bin/true, /bin/false with every descriptor on /dev/null. */
    void trueOrFalse(SplittableRandom rnd) throws Exception {
        String[] programs = {"true", "false", "/bin/true", "/bin/false"};
        String program = programs[rnd.nextInt(programs.length)];
        ChildProcess child = ledger.spawn(quiet(Command.of(program)));
        ExitStatus status = exit(child);
        if (status != null) {
            ledger.expectStatus(child, status, program.endsWith("true") ? OK : FALSE);
        }
    }

    /** A program missing from PATH, a missing absolute path, a missing working directory: ENOENT. */
    void failingSpawn(SplittableRandom rnd) throws InterruptedException {
        Command command = switch (rnd.nextInt(3)) {
            case 0 -> Command.of("spawnkit-soak-no-such-program-" + rnd.nextInt(1000));
            case 1 -> Command.of("/nonexistent/spawnkit-soak/program");
            default -> Command.of("true").directory(Path.of("/nonexistent/spawnkit-soak/dir"));
        };
        try {
            ChildProcess child = ledger.spawn(quiet(command));
            ledger.problem("spawning " + command + " did not fail: " + child);
            exit(child);
        } catch (SpawnException e) {
            if (!e.errnoName().equals("ENOENT")) {
                ledger.problem("spawning " + command + ": expected ENOENT, got " + e.getMessage());
            }
            ledger.failingSpawns.increment();
        }
    }

    /** Known bytes into cat's stdin, back from its stdout: length, pattern and CRC32 checked. */
    void echo(SplittableRandom rnd) throws Exception {
        long size = size(rnd);
        long seed = rnd.nextLong();
        ChildProcess child = ledger.spawn(Command.of("cat")
                .stdin(Stdio.pipe()).stdout(Stdio.pipe()).stderr(Stdio.ignore()));
        Pattern got = new Pattern(seed);
        CompletableFuture<Void> read = readPattern(child, got, rnd.nextInt(4) == 0);
        CRC32 sent = new CRC32();
        boolean stream = rnd.nextBoolean();
        try (OutputStream out = stream ? child.stdin().outputStream() : null) {
            long pos = 0;
            while (pos < size) {
                int n = (int) Math.min(size - pos, 1 + rnd.nextInt(96 * 1024));
                byte[] chunk = Pattern.bytes(seed, pos, n);
                sent.update(chunk);
                if (stream) {
                    out.write(chunk);
                } else {
                    await(child.stdin().write(chunk), child, "write to stdin");
                }
                pos += n;
            }
            if (!stream) {
                await(child.stdin().close(), child, "close stdin");
            }
        }
        await(read, child, "stdout to its end");
        ExitStatus status = exit(child);
        if (status != null) {
            ledger.expectStatus(child, status, OK);
        }
        ledger.expect(got.position() == size && got.ok(), child,
                "echo of " + size + " bytes came back as " + got);
        ledger.expect(got.crc() == sent.getValue(), child, "echo CRC32 differs");
        ledger.bytesVerified.add(got.position());
    }

    /** head -c N /dev/zero: exactly N zero bytes. */
    void zeros(SplittableRandom rnd) throws Exception {
        long size = size(rnd);
        zerosFrom(Command.of("head", "-c", Long.toString(size), "/dev/zero"), size, OK, " zeros came as ");
    }

    /** Spawns {@code command}, reads its stdout to the end: exactly {@code size} zeros, then {@code exit}. */
    private void zerosFrom(Command command, long size, ExitStatus exit, String cameAs) throws Exception {
        ChildProcess child = ledger.spawn(command.stdin(Stdio.ignore()).stdout(Stdio.pipe()).stderr(Stdio.ignore()));
        Zeros got = new Zeros();
        CompletableFuture<Void> read = child.stdout().onData(got::accept).done();
        await(read, child, "stdout to its end");
        ExitStatus status = exit(child);
        if (status != null) {
            ledger.expectStatus(child, status, exit);
        }
        ledger.expect(got.count() == size && got.ok(), child, size + cameAs + got);
        ledger.bytesVerified.add(got.count());
    }

    /** A reader that pauses now and then (blocking InputStream), so the child blocks in write. */
    void slowConsumer(SplittableRandom rnd) throws Exception {
        long size = 64 * 1024 + rnd.nextInt(1024 * 1024);
        long seed = rnd.nextLong();
        ChildProcess child = ledger.spawn(Command.of("cat")
                .stdin(Stdio.bytes(Pattern.bytes(seed, 0, (int) size))).stdout(Stdio.pipe()).stderr(Stdio.ignore()));
        Pattern got = new Pattern(seed);
        byte[] buf = new byte[1 + rnd.nextInt(16 * 1024)];
        try (InputStream in = child.stdout().inputStream()) {
            int n;
            int reads = 0;
            while ((n = in.read(buf)) >= 0) {
                got.accept(ByteBuffer.wrap(buf, 0, n));
                if (++reads % 4 == 0) {
                    Thread.sleep(0, 200_000 + rnd.nextInt(800_000));
                }
            }
        }
        ExitStatus status = exit(child);
        if (status != null) {
            ledger.expectStatus(child, status, OK);
        }
        ledger.expect(got.position() == size && got.ok(), child, size + " bytes read slowly came as " + got);
        ledger.bytesVerified.add(got.position());
    }

    /** sh writes N bytes (through head) and then SIGKILLs itself: all N arrive, the exit says KILL. */
    void deathAfterWrite(SplittableRandom rnd) throws Exception {
        long size = rnd.nextInt(512 * 1024);
        zerosFrom(Command.of("sh", "-c", "head -c " + size + " /dev/zero; kill -9 $$"), size, KILLED,
                " zeros before death came as ");
    }

    /** sh echoes K numbered lines, then half a line, then SIGKILLs itself: every line arrives in order. */
    void deathMidLine(SplittableRandom rnd) throws Exception {
        int lines = rnd.nextInt(3000);
        ChildProcess child = ledger.spawn(Command.of("sh", "-c",
                        "i=0; while [ $i -lt " + lines + " ]; do echo \"line $i\"; i=$((i+1)); done;"
                                + " printf 'partial-%s' $i; kill -9 $$")
                .stdin(Stdio.ignore()).stdout(Stdio.pipe()).stderr(Stdio.ignore()));
        long[] next = {0};
        long[] bytes = {0};
        boolean[] bad = {false};
        CompletableFuture<Void> read = child.stdout().onLine(line -> {
            long i = next[0]++;
            String want = i < lines ? "line " + i : i == lines ? "partial-" + lines : null;
            if (!line.equals(want)) {
                bad[0] = true;
            }
            bytes[0] += line.length() + (i < lines ? 1 : 0);
        }).done();
        await(read, child, "stdout to its end");
        ExitStatus status = exit(child);
        if (status != null) {
            ledger.expectStatus(child, status, KILLED);
        }
        ledger.expect(!bad[0] && next[0] == lines + 1, child,
                lines + " lines and a partial one came as " + next[0] + " lines" + (bad[0] ? ", some wrong" : ""));
        ledger.bytesVerified.add(bytes[0]);
    }

    /** cat /dev/zero, killed (SIGKILL, or SIGTERM with a grace) while it writes as fast as it can. */
    void killDuringOutput(SplittableRandom rnd) throws Exception {
        ChildProcess child = ledger.spawn(Command.of("cat", "/dev/zero")
                .stdin(Stdio.ignore()).stdout(Stdio.pipe()).stderr(Stdio.ignore()));
        Zeros got = new Zeros();
        CompletableFuture<Void> read = child.stdout().onData(got::accept).done();
        Thread.sleep(rnd.nextInt(30));
        boolean term = rnd.nextBoolean();
        if (term) {
            ledger.terminates.increment();
            await(child.terminate(Duration.ofMillis(rnd.nextInt(200))), child, "terminate");
        } else {
            ledger.kills.increment();
            ledger.expect(child.kill(), child, "kill() of a running child returned false");
        }
        await(read, child, "stdout to its end");
        ExitStatus status = exit(child);
        if (status != null) {
            ledger.expect(status.equals(KILLED) || term && status.equals(TERMINATED), child,
                    "exit " + status + " after " + (term ? "terminate" : "kill"));
        }
        ledger.expect(got.ok(), child, "output of cat /dev/zero was not all zeros: " + got);
        ledger.bytesVerified.add(got.count());
    }

    /** cat echoing a long input, killed while we write: writes fail cleanly, what came back is a prefix. */
    void killDuringInput(SplittableRandom rnd) throws Exception {
        long seed = rnd.nextLong();
        ChildProcess child = ledger.spawn(Command.of("cat")
                .stdin(Stdio.pipe()).stdout(Stdio.pipe()).stderr(Stdio.ignore()));
        Pattern got = new Pattern(seed);
        CompletableFuture<Void> read = readPattern(child, got, false);
        long killAt = rnd.nextInt(4 * 1024 * 1024);
        long pos = 0;
        boolean killed = false;
        boolean refused = false;
        while (!refused && pos < 8L * 1024 * 1024) {
            int n = 1 + rnd.nextInt(64 * 1024);
            CompletableFuture<Void> w = child.stdin().write(Pattern.bytes(seed, pos, n));
            pos += n;
            if (!killed && pos >= killAt) {
                killed = true;
                ledger.kills.increment();
                child.kill();
            }
            try {
                w.get(PATIENCE.toMillis(), TimeUnit.MILLISECONDS);
            } catch (ExecutionException e) {
                refused = true;
                ledger.expect(killed && e.getCause() instanceof IOException, child,
                        "write failed with " + e.getCause() + (killed ? "" : " before the kill"));
            } catch (TimeoutException e) {
                ledger.problem(child + ": write to stdin hung");
                child.kill();
                break;
            }
        }
        child.stdin().abort();
        await(read, child, "stdout to its end");
        ExitStatus status = exit(child);
        if (status != null) {
            ledger.expectStatus(child, status, KILLED);
        }
        ledger.expect(got.ok() && got.position() <= pos, child, "echo before the kill was not a prefix: " + got);
        ledger.bytesVerified.add(got.position());
    }

    /** sleep 10 with a timeout of a few milliseconds: killed, timedOut() true. */
    void timeout(SplittableRandom rnd) throws Exception {
        ChildProcess child = ledger.spawn(quiet(Command.of("sleep", "10")).timeout(Duration.ofMillis(1 + rnd.nextInt(50))));
        ExitStatus status = exit(child);
        if (status != null) {
            ledger.timeouts.increment();
            ledger.expectStatus(child, status, KILLED);
            ledger.expect(child.timedOut(), child, "timedOut() false after the timeout");
        }
    }

    /**
     * cat /dev/zero, and we close our end of its stdout after a moment: cat dies of SIGPIPE, which
     * it must get with the default disposition whatever the JVM does with SIGPIPE.
     */
    void closeEarly(SplittableRandom rnd) throws Exception {
        ChildProcess child = ledger.spawn(Command.of("cat", "/dev/zero")
                .stdin(Stdio.ignore()).stdout(Stdio.pipe()).stderr(Stdio.ignore()));
        Zeros got = new Zeros();
        child.stdout().onData(got::accept);
        Thread.sleep(rnd.nextInt(10));
        child.close();
        ExitStatus status = exit(child);
        if (status != null) {
            ledger.expectStatus(child, status, BROKEN_PIPE);
        }
        ledger.expect(got.ok(), child, "output of cat /dev/zero was not all zeros: " + got);
        ledger.bytesVerified.add(got.count());
    }

    // --- helpers ---------------------------------------------------------------------------------

    private static Command quiet(Command c) {
        return c.stdin(Stdio.ignore()).stdout(Stdio.ignore()).stderr(Stdio.ignore());
    }

    /** Sizes from nothing to 4 MiB, most of them small. */
    private static long size(SplittableRandom rnd) {
        return switch (rnd.nextInt(10)) {
            case 0 -> 0;
            case 1, 2 -> rnd.nextInt(4 * 1024 * 1024);
            default -> rnd.nextInt(64 * 1024);
        };
    }

    /** Reads stdout into {@code got}, on the loop or (sometimes) through a blocking stream on a thread. */
    private CompletableFuture<Void> readPattern(ChildProcess child, Pattern got, boolean onExecutor) {
        if (onExecutor) {
            return child.stdout().onData(got::accept, Runnable::run).done();
        }
        return child.stdout().onData(got::accept).done();
    }

    /** The exit, as waitFor() gives it, checked against what poll() says; null after a hang. */
    private ExitStatus exit(ChildProcess child) throws InterruptedException {
        var status = child.waitFor(PATIENCE);
        if (status.isEmpty()) {
            ledger.problem(child + ": no exit after " + PATIENCE.toSeconds() + " s, killed");
            child.kill();
            child.waitFor(PATIENCE);
            return null;
        }
        ledger.expect(child.poll().equals(status) && !child.isAlive(), child, "poll()/isAlive() disagree with waitFor()");
        ledger.expect(!child.kill(), child, "kill() after the exit returned true");
        return status.get();
    }

    private <T> void await(CompletableFuture<T> f, ChildProcess child, String what) throws InterruptedException {
        try {
            f.get(PATIENCE.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            ledger.problem(child + ": " + what + " failed: " + e.getCause());
        } catch (TimeoutException e) {
            ledger.problem(child + ": " + what + " did not finish within " + PATIENCE.toSeconds() + " s; killed");
            child.kill();
        }
    }

    /** Checks that bytes follow {@link #bytes(long, long, int)}'s sequence for a seed, and sums them up. */
    static final class Pattern {
        private final long seed;
        private final CRC32 crc = new CRC32();
        private long position;
        private long firstBad = -1;

        Pattern(long seed) {
            this.seed = seed;
        }

        static byte at(long seed, long i) {
            long x = (i + seed) * 0x9E3779B97F4A7C15L;
            return (byte) (x ^ (x >>> 29));
        }

        static byte[] bytes(long seed, long from, int n) {
            byte[] b = new byte[n];
            for (int i = 0; i < n; i++) {
                b[i] = at(seed, from + i);
            }
            return b;
        }

        void accept(ByteBuffer data) {
            int start = data.position();
            for (int i = start; i < data.limit(); i++) {
                if (data.get(i) != at(seed, position + i - start) && firstBad < 0) {
                    firstBad = position + i - start;
                }
            }
            position += data.remaining();
            crc.update(data);
        }

        long position() {
            return position;
        }

        boolean ok() {
            return firstBad < 0;
        }

        long crc() {
            return crc.getValue();
        }

        @Override
        public String toString() {
            return position + " bytes" + (firstBad >= 0 ? ", first wrong at " + firstBad : "");
        }
    }

    /** Counts bytes that must all be zero. */
    static final class Zeros {
        private final AtomicLong count = new AtomicLong();
        private volatile boolean bad;

        void accept(ByteBuffer data) {
            for (int i = data.position(); i < data.limit(); i++) {
                if (data.get(i) != 0) {
                    bad = true;
                    break;
                }
            }
            count.addAndGet(data.remaining());
            data.position(data.limit());
        }

        long count() {
            return count.get();
        }

        boolean ok() {
            return !bad;
        }

        @Override
        public String toString() {
            return count() + " bytes" + (bad ? ", not all zero" : "");
        }
    }
}
