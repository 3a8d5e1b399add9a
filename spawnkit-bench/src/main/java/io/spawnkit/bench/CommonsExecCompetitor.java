package io.spawnkit.bench;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.apache.commons.exec.CommandLine;
import org.apache.commons.exec.DefaultExecutor;
import org.apache.commons.exec.ExecuteException;
import org.apache.commons.exec.ExecuteResultHandler;
import org.apache.commons.exec.LogOutputStream;
import org.apache.commons.exec.PumpStreamHandler;

/**
 * Apache Commons Exec: a {@link DefaultExecutor} per child (it keeps per-execution state), a
 * {@link PumpStreamHandler} with a pump thread per stream it is given, and for asynchronous runs a
 * thread per child that waits for it and then calls the {@link ExecuteResultHandler}.
 */
final class CommonsExecCompetitor implements Competitor {

    private static CommandLine commandLine(List<String> argv) {
        CommandLine cl = new CommandLine(argv.get(0));
        for (String a : argv.subList(1, argv.size())) {
            cl.addArgument(a, false); // as given: no quoting added for spaces
        }
        return cl;
    }

    @Override
    public void spawnWait(List<String> argv) throws Exception {
        // no stream given: no pump thread, stdin closed at once (Commons Exec always makes pipes)
        DefaultExecutor executor = DefaultExecutor.builder()
                .setExecuteStreamHandler(new PumpStreamHandler(null, null, null)).get();
        executor.execute(commandLine(argv)); // throws ExecuteException unless the exit value is 0
    }

    @Override
    public void startLines(List<String> argv, LineEvents events) throws Exception {
        LogOutputStream lines = new LogOutputStream() {
            @Override
            protected void processLine(String line, int level) {
                events.line(line);
            }
        };
        DefaultExecutor executor = DefaultExecutor.builder()
                .setExecuteStreamHandler(new PumpStreamHandler(lines, null, null)).get();
        executor.execute(commandLine(argv), new ExecuteResultHandler() {
            // called after the process ended and the stream pumps were joined
            @Override
            public void onProcessComplete(int exitValue) {
                done(null);
            }

            @Override
            public void onProcessFailed(ExecuteException e) {
                done(e.toString());
            }

            private void done(String problem) {
                try {
                    lines.close(); // flushes a last line without a newline
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
                events.exited(problem);
                events.eof();
            }
        });
    }

    @Override
    public Stamped exitStamp(List<String> argv) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        CompletableFuture<Long> exit = new CompletableFuture<>();
        DefaultExecutor executor = DefaultExecutor.builder()
                .setExecuteStreamHandler(new PumpStreamHandler(out, System.err, null)).get();
        executor.execute(commandLine(argv), new ExecuteResultHandler() {
            @Override
            public void onProcessComplete(int exitValue) {
                exit.complete(System.nanoTime());
            }

            @Override
            public void onProcessFailed(ExecuteException e) {
                exit.completeExceptionally(e);
            }
        });
        long stamp = exit.get();
        return new Stamped(out.toString(StandardCharsets.UTF_8), stamp);
    }

    @Override
    public long readAll(List<String> argv) throws Exception {
        CountingOutputStream counter = new CountingOutputStream();
        DefaultExecutor executor = DefaultExecutor.builder()
                .setExecuteStreamHandler(new PumpStreamHandler(counter, System.err, null)).get();
        executor.execute(commandLine(argv));
        return counter.count();
    }
}
