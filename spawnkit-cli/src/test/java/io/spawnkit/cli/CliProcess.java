package io.spawnkit.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The real command line in a JVM of its own ({@code java -cp <this test's class path>
 * io.spawnkit.cli.Main ...}), without a terminal: stdin from /dev/null, stdout and stderr to files.
 *
 * <p>{@link #close()} kills whatever is left of it and of every process it started, even when the
 * test failed half-way: the processes seen below it (a helper runs in a group of its own but stays
 * its child) plus every pid a test {@linkplain #alsoKill registered} (a grandchild, which becomes
 * an orphan once its parent dies).
 */
final class CliProcess implements AutoCloseable {

    /** Upper bounds only: nothing is asserted about how fast anything is. */
    static final Duration LONG = Duration.ofSeconds(60);

    private final Process process;
    private final Path stdout;
    private final Path stderr;
    private final Set<Long> seen = new LinkedHashSet<>();
    private final Set<Long> extra = new LinkedHashSet<>();

    private CliProcess(Process process, Path stdout, Path stderr) {
        this.process = process;
        this.stdout = stdout;
        this.stderr = stderr;
    }

    /** Starts {@code spawnkit ARGS...} in {@code dir}; NO_COLOR is unset and CI=true. */
    static CliProcess start(Path dir, String... args) throws IOException {
        return start(dir, false, args);
    }

    /**
     * {@link #start(Path, String...)}, with stdout to a pipe read through {@link #stdoutPipe()}
     * when {@code pipedStdout} (then {@link #stdout()} is empty).
     */
    static CliProcess start(Path dir, boolean pipedStdout, String... args) throws IOException {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.add("--enable-native-access=ALL-UNNAMED");
        cmd.add("-Xshare:auto");
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(Main.class.getName());
        cmd.addAll(List.of(args));
        Path out = Files.createTempFile(dir, "cli-", ".out");
        Path err = Files.createTempFile(dir, "cli-", ".err");
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(dir.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()))
                .redirectOutput(pipedStdout ? ProcessBuilder.Redirect.PIPE : ProcessBuilder.Redirect.to(out.toFile()))
                .redirectError(err.toFile());
        pb.environment().remove("NO_COLOR");
        pb.environment().put("CI", "true");
        return new CliProcess(pb.start(), out, err);
    }

    /** The read end of stdout's pipe (see {@link #start(Path, boolean, String...)}). */
    java.io.InputStream stdoutPipe() {
        return process.getInputStream();
    }

    long pid() {
        return process.pid();
    }

    /** Sends {@code signal} (e.g. {@code INT}) with kill(1): Process.destroy() knows only TERM and KILL. */
    void signal(String signal) throws IOException, InterruptedException {
        remember();
        Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(pid())).inheritIO().start();
        if (!kill.waitFor(30, TimeUnit.SECONDS) || kill.exitValue() != 0) {
            throw new AssertionError("kill -" + signal + " " + pid() + " failed");
        }
    }

    /** Waits for the exit, at most {@link #LONG}; fails with the output so far if it does not come. */
    int waitFor() throws InterruptedException {
        remember();
        if (!process.waitFor(LONG.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new AssertionError("spawnkit did not end within " + LONG + "\n--- stdout:\n" + stdout()
                    + "\n--- stderr:\n" + stderr());
        }
        return process.exitValue();
    }

    String stdout() {
        return read(stdout);
    }

    String stderr() {
        return read(stderr);
    }

    List<String> stdoutLines() {
        return stdout().lines().toList();
    }

    /**
     * Waits until stdout has a match of {@code regex} (multi-line mode) and returns it; fails after
     * {@link #LONG} or when the command ends first.
     */
    Matcher await(String regex) throws InterruptedException {
        Pattern p = Pattern.compile(regex, Pattern.MULTILINE);
        long deadline = System.nanoTime() + LONG.toNanos();
        while (true) {
            remember();
            Matcher m = p.matcher(stdout());
            if (m.find()) {
                return m;
            }
            if (!process.isAlive()) {
                m = p.matcher(stdout());
                if (m.find()) {
                    return m;
                }
                throw new AssertionError("spawnkit ended (code " + process.exitValue() + ") before printing /" + regex
                        + "/\n--- stdout:\n" + stdout() + "\n--- stderr:\n" + stderr());
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("no /" + regex + "/ within " + LONG + "\n--- stdout:\n" + stdout()
                        + "\n--- stderr:\n" + stderr());
            }
            Thread.sleep(20);
        }
    }

    /** Kills {@code pid} in {@link #close()} if it is still there. */
    void alsoKill(long pid) {
        extra.add(pid);
    }

    /**
     * Whether this JVM was started with signal {@code number} ignored (as a script's {@code cmd &}
     * does for SIGINT): its children, the command line included, inherit that, and no JVM can
     * take such a signal back (see {@link Interrupts}).
     */
    static boolean ignoredHere(int number) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("SigIgn:")) {
                    long mask = Long.parseUnsignedLong(line.substring(7).strip(), 16);
                    return (mask & (1L << (number - 1))) != 0;
                }
            }
        } catch (IOException | RuntimeException unknown) {
            // not Linux: assume not
        }
        return false;
    }

    /** Whether {@code pid} is a live process: a zombie (dead, not reaped yet) does not count. */
    static boolean alive(long pid) {
        Path stat = Path.of("/proc", Long.toString(pid), "stat");
        try {
            String s = Files.readString(stat);
            // "pid (comm) S ...": the state follows the last ')' (comm may hold one)
            char state = s.substring(s.lastIndexOf(')') + 2).charAt(0);
            return state != 'Z' && state != 'X';
        } catch (IOException | RuntimeException gone) {
            return false;
        }
    }

    /** Every process seen below the command line so far, and those registered. */
    Set<Long> knownPids() {
        remember();
        Set<Long> all = new LinkedHashSet<>(seen);
        all.addAll(extra);
        return all;
    }

    private void remember() {
        Optional.of(process.toHandle()).filter(ProcessHandle::isAlive)
                .ifPresent(h -> h.descendants().forEach(d -> seen.add(d.pid())));
    }

    @Override
    public void close() throws InterruptedException {
        Set<Long> pids = knownPids();
        process.destroyForcibly();
        process.waitFor(30, TimeUnit.SECONDS);
        for (long pid : pids) {
            ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
        }
    }

    private static String read(Path file) {
        try {
            // read while it is written: a character cut in two becomes U+FFFD instead of an error
            return new String(Files.readAllBytes(file), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
