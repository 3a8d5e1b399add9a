package io.spawnkit.bench;

import java.io.BufferedReader;
import java.io.File;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.lang.ProcessBuilder.Redirect;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * {@link ProcessBuilder}: blocking streams, so a thread per stream read. The launch mechanism
 * (posix_spawn through jspawnhelper by default, or VFORK) is whatever the JVM was started with.
 */
final class ProcessBuilderCompetitor implements Competitor {
    private static final Redirect DEV_NULL = Redirect.from(new File("/dev/null"));

    @Override
    public void spawnWait(List<String> argv) throws Exception {
        Process p = new ProcessBuilder(argv)
                .redirectInput(DEV_NULL).redirectOutput(Redirect.DISCARD).redirectError(Redirect.DISCARD)
                .start();
        int code = p.waitFor();
        if (code != 0) {
            throw new IllegalStateException(argv + ": exit " + code);
        }
    }

    @Override
    public void startLines(List<String> argv, LineEvents events) throws Exception {
        Process p = new ProcessBuilder(argv)
                .redirectInput(DEV_NULL).redirectError(Redirect.DISCARD)
                .start();
        // ProcessBuilder only offers a blocking InputStream, so every child needs a thread of its own
        // to read it; we use virtual threads (not platform threads), the cheapest way it allows.
        Thread.ofVirtual().name("pb-reader-" + p.pid()).start(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = r.readLine()) != null; ) {
                    events.line(line);
                }
            } catch (Exception e) {
                events.line("reader failed: " + e);
            } finally {
                events.eof();
            }
        });
        p.onExit().whenComplete((proc, e) -> events.exited(
                e != null ? e.toString() : proc.exitValue() == 0 ? null : "exit " + proc.exitValue()));
    }

    @Override
    public Stamped exitStamp(List<String> argv) throws Exception {
        Process p = new ProcessBuilder(argv).redirectInput(DEV_NULL).redirectError(Redirect.INHERIT).start();
        CompletableFuture<Long> exit = p.onExit().thenApply(proc -> System.nanoTime());
        String out;
        try (InputStream in = p.getInputStream()) {
            out = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        return new Stamped(out, exit.join());
    }

    @Override
    public long readAll(List<String> argv) throws Exception {
        Process p = new ProcessBuilder(argv).redirectInput(DEV_NULL).redirectError(Redirect.INHERIT).start();
        long count = 0;
        try (InputStream in = p.getInputStream()) {
            byte[] buf = new byte[64 * 1024];
            for (int n; (n = in.read(buf)) >= 0; ) {
                count += n;
            }
        }
        int code = p.waitFor();
        if (code != 0) {
            throw new IllegalStateException(argv + ": exit " + code);
        }
        return count;
    }
}
