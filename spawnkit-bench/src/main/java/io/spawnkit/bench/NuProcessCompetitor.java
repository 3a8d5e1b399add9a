package io.spawnkit.bench;

import com.zaxxer.nuprocess.NuAbstractProcessHandler;
import com.zaxxer.nuprocess.NuProcess;
import com.zaxxer.nuprocess.NuProcessBuilder;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * NuProcess 3: a {@link NuProcessBuilder} and a {@link NuAbstractProcessHandler} whose callbacks run
 * on NuProcess's epoll thread(s). It always pipes all three streams.
 */
final class NuProcessCompetitor implements Competitor {

    @Override
    public void spawnWait(List<String> argv) throws Exception {
        NuProcessBuilder builder = new NuProcessBuilder(argv);
        builder.setProcessListener(new NuAbstractProcessHandler() {
            @Override
            public void onStart(NuProcess process) {
                process.closeStdin(true);
            }
        });
        int code = started(builder, argv).waitFor(0, TimeUnit.SECONDS); // 0: no timeout
        if (code != 0) {
            throw new IllegalStateException(argv + ": exit " + code);
        }
    }

    @Override
    public void startLines(List<String> argv, LineEvents events) {
        NuProcessBuilder builder = new NuProcessBuilder(argv);
        builder.setProcessListener(new NuAbstractProcessHandler() {
            private final Lines lines = new Lines(events::line);

            @Override
            public void onStart(NuProcess process) {
                process.closeStdin(true);
            }

            @Override
            public void onStdout(ByteBuffer buffer, boolean closed) {
                lines.feed(buffer);
                if (closed) {
                    lines.end();
                    events.eof();
                }
            }

            @Override
            public void onExit(int exitCode) {
                events.exited(exitCode == 0 ? null : "exit " + exitCode);
            }
        });
        started(builder, argv);
    }

    @Override
    public Stamped exitStamp(List<String> argv) throws Exception {
        CompletableFuture<Long> exit = new CompletableFuture<>();
        CompletableFuture<String> out = new CompletableFuture<>();
        NuProcessBuilder builder = new NuProcessBuilder(argv);
        builder.setProcessListener(new NuAbstractProcessHandler() {
            private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();

            @Override
            public void onStart(NuProcess process) {
                process.closeStdin(true);
            }

            @Override
            public void onStdout(ByteBuffer buffer, boolean closed) {
                byte[] chunk = new byte[buffer.remaining()];
                buffer.get(chunk);
                bytes.writeBytes(chunk);
                if (closed) {
                    out.complete(bytes.toString(StandardCharsets.UTF_8));
                }
            }

            @Override
            public void onExit(int exitCode) {
                exit.complete(System.nanoTime());
            }
        });
        started(builder, argv);
        long stamp = exit.get();
        return new Stamped(out.get(), stamp);
    }

    @Override
    public long readAll(List<String> argv) throws Exception {
        AtomicLong count = new AtomicLong();
        NuProcessBuilder builder = new NuProcessBuilder(argv);
        builder.setProcessListener(new NuAbstractProcessHandler() {
            @Override
            public void onStart(NuProcess process) {
                process.closeStdin(true);
            }

            @Override
            public void onStdout(ByteBuffer buffer, boolean closed) {
                count.addAndGet(buffer.remaining());
                buffer.position(buffer.limit());
            }
        });
        int code = started(builder, argv).waitFor(0, TimeUnit.SECONDS);
        if (code != 0) {
            throw new IllegalStateException(argv + ": exit " + code);
        }
        return count.get();
    }

    private static NuProcess started(NuProcessBuilder builder, List<String> argv) {
        NuProcess p = builder.start();
        if (p == null) {
            throw new IllegalStateException("NuProcess could not start " + argv);
        }
        return p;
    }
}
