package io.spawnkit.bench;

import java.io.ByteArrayOutputStream;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.zeroturnaround.exec.ProcessExecutor;
import org.zeroturnaround.exec.ProcessResult;
import org.zeroturnaround.exec.listener.ProcessListener;
import org.zeroturnaround.exec.stream.LogOutputStream;

/**
 * zt-exec: {@link ProcessExecutor} over ProcessBuilder, a pump thread per redirected stream and a
 * thread per started process that waits for it and then calls the listeners.
 */
final class ZtExecCompetitor implements Competitor {

    @Override
    public void spawnWait(List<String> argv) throws Exception {
        // zt-exec's default: output and error pumped into a null stream
        new ProcessExecutor().command(argv).exitValueNormal().execute();
    }

    @Override
    public void startLines(List<String> argv, LineEvents events) throws Exception {
        new ProcessExecutor().command(argv)
                .redirectOutput(new LogOutputStream() {
                    @Override
                    protected void processLine(String line) {
                        events.line(line);
                    }
                })
                .addListener(new ProcessListener() {
                    @Override
                    public void afterFinish(Process process, ProcessResult result) {
                        // called once the process has ended and the pumps have drained its streams
                        events.exited(result.getExitValue() == 0 ? null : "exit " + result.getExitValue());
                        events.eof();
                    }
                })
                .start();
    }

    @Override
    public Stamped exitStamp(List<String> argv) throws Exception {
        CompletableFuture<Long> exit = new CompletableFuture<>();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        new ProcessExecutor().command(argv)
                .redirectOutput(out)
                .addListener(new ProcessListener() {
                    @Override
                    public void afterFinish(Process process, ProcessResult result) {
                        exit.complete(System.nanoTime());
                    }
                })
                .start().getFuture().get();
        return new Stamped(out.toString(java.nio.charset.StandardCharsets.UTF_8), exit.get());
    }

    @Override
    public long readAll(List<String> argv) throws Exception {
        CountingOutputStream counter = new CountingOutputStream();
        new ProcessExecutor().command(argv).redirectOutput(counter).redirectErrorStream(false)
                .redirectError(System.err).exitValueNormal().execute();
        return counter.count();
    }
}
