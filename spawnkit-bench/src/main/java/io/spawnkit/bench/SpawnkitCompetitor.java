package io.spawnkit.bench;

import io.spawnkit.ChildProcess;
import io.spawnkit.Command;
import io.spawnkit.ExitStatus;
import io.spawnkit.Stdio;
import java.io.InputStream;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/** spawnkit through its public API only. */
final class SpawnkitCompetitor implements Competitor {
    private final Mode mode;

    SpawnkitCompetitor(Mode mode) {
        this.mode = mode;
    }

    @Override
    public void spawnWait(List<String> argv) {
        ExitStatus status = Command.of(argv)
                .stdin(Stdio.ignore()).stdout(Stdio.ignore()).stderr(Stdio.ignore())
                .status();
        if (!status.isSuccess()) {
            throw new IllegalStateException(argv + ": " + status);
        }
    }

    @Override
    public void startLines(List<String> argv, LineEvents events) {
        ChildProcess child = Command.of(argv)
                .stdin(Stdio.ignore()).stdout(Stdio.pipe()).stderr(Stdio.ignore())
                .spawn();
        child.stdout().onLine(events::line).done().whenComplete((v, e) -> events.eof());
        child.onExit().whenComplete((status, e) -> events.exited(
                e != null ? e.toString() : status.isSuccess() ? null : status.toString()));
    }

    @Override
    public Stamped exitStamp(List<String> argv) {
        ChildProcess child = Command.of(argv)
                .stdin(Stdio.ignore()).stdout(Stdio.pipe()).stderr(Stdio.inherit())
                .spawn();
        // attached right after the spawn, so it runs on the event-loop thread as the exit is observed
        CompletableFuture<Long> exit = child.onExit().thenApply(status -> System.nanoTime());
        String out = child.stdout().readAllText().join();
        return new Stamped(out, exit.join());
    }

    @Override
    public long readAll(List<String> argv) throws Exception {
        ChildProcess child = Command.of(argv)
                .stdin(Stdio.ignore()).stdout(Stdio.pipe()).stderr(Stdio.inherit())
                .spawn();
        long count = 0;
        if (mode == Mode.INPUT_STREAM) {
            try (InputStream in = child.stdout().inputStream()) {
                byte[] buf = new byte[64 * 1024];
                for (int n; (n = in.read(buf)) >= 0; ) {
                    count += n;
                }
            }
        } else {
            // the callback runs on the loop thread; done() completing makes the count visible here
            long[] bytes = {0};
            child.stdout().onData(data -> {
                bytes[0] += data.remaining();
                data.position(data.limit());
            }).done().join();
            count = bytes[0];
        }
        ExitStatus status = child.waitFor();
        if (!status.isSuccess()) {
            throw new IllegalStateException(argv + ": " + status);
        }
        return count;
    }
}
