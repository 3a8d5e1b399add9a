package io.spawnkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Each way of consuming a child's output, and the rule of one consumer per stream. */
@Tag("portable")
class StreamsTest {
    @RegisterExtension
    final Reaper reaper = new Reaper();

    private ChildProcess printf(String format) {
        return reaper.spawn(Command.of("printf", format).stdout(Stdio.pipe()));
    }

    @Test
    void onDataDeliversEveryByteInOrder() throws Exception {
        ChildProcess c = reaper.spawn(Helper.command("print-bytes", "1000000").stdout(Stdio.pipe()).stderr(Stdio.ignore()));
        ByteArrayOutputStream got = new ByteArrayOutputStream();
        c.stdout().onData(b -> {
            byte[] copy = new byte[b.remaining()];
            b.get(copy);
            got.write(copy, 0, copy.length);
        }).done().get(60, TimeUnit.SECONDS);
        assertThat(got.toByteArray()).isEqualTo(Helper.pattern(0, 1_000_000));
    }

    @Test
    void onLineHandlesCrlfAndALastLineWithoutNewline() throws Exception {
        ChildProcess c = printf("one\\r\\ntwo\\n\\nthree");
        List<String> lines = new CopyOnWriteArrayList<>();
        c.stdout().onLine(lines::add).done().get(60, TimeUnit.SECONDS);
        assertThat(lines).containsExactly("one", "two", "", "three");
    }

    @Test
    void onLineOfManyLinesKeepsOrder() throws Exception {
        ChildProcess c = reaper.spawn(Helper.command("lines", "20000").stdout(Stdio.pipe()));
        List<String> lines = new CopyOnWriteArrayList<>();
        c.stdout().onLine(lines::add).done().get(60, TimeUnit.SECONDS);
        assertThat(lines).hasSize(20000);
        for (int i = 0; i < 20000; i++) {
            assertThat(lines.get(i)).isEqualTo("line " + (i + 1));
        }
    }

    @Test
    void onLineOnAnExecutorRunsThereInOrder() throws Exception {
        ExecutorService ex = Executors.newSingleThreadExecutor(r -> new Thread(r, "test-consumer"));
        try {
            ChildProcess c = reaper.spawn(Helper.command("lines", "5000").stdout(Stdio.pipe()));
            List<String> lines = new CopyOnWriteArrayList<>();
            AtomicBoolean wrongThread = new AtomicBoolean();
            c.stdout().onLine(l -> {
                if (!Thread.currentThread().getName().equals("test-consumer")) {
                    wrongThread.set(true);
                }
                lines.add(l);
            }, ex).done().get(60, TimeUnit.SECONDS);
            assertThat(wrongThread).isFalse();
            assertThat(lines).hasSize(5000).startsWith("line 1", "line 2").endsWith("line 5000");
        } finally {
            ex.shutdownNow();
        }
    }

    @Test
    void onDataOnAnExecutorGetsCopies() throws Exception {
        ExecutorService ex = Executors.newSingleThreadExecutor();
        try {
            ChildProcess c = reaper.spawn(Command.of("head", "-c", "300000", "/dev/zero").stdout(Stdio.pipe()));
            AtomicInteger total = new AtomicInteger();
            c.stdout().onData(b -> total.addAndGet(b.remaining()), ex).done().get(60, TimeUnit.SECONDS);
            assertThat(total).hasValue(300000);
        } finally {
            ex.shutdownNow();
        }
    }

    @Test
    void publisherWithDemandOneAtATime() throws Exception {
        ChildProcess c = reaper.spawn(Helper.command("print-bytes", "500000").stdout(Stdio.pipe()).stderr(Stdio.ignore()));
        ByteArrayOutputStream got = new ByteArrayOutputStream();
        CompletableFuture<Void> complete = new CompletableFuture<>();
        AtomicInteger outstanding = new AtomicInteger();
        AtomicBoolean overDelivered = new AtomicBoolean();
        c.stdout().publisher().subscribe(new Flow.Subscriber<>() {
            Flow.Subscription sub;

            @Override
            public void onSubscribe(Flow.Subscription s) {
                sub = s;
                outstanding.incrementAndGet();
                s.request(1);
            }

            @Override
            public void onNext(ByteBuffer item) {
                if (outstanding.decrementAndGet() < 0) {
                    overDelivered.set(true);
                }
                byte[] b = new byte[item.remaining()];
                item.get(b);
                got.write(b, 0, b.length);
                outstanding.incrementAndGet();
                sub.request(1);
            }

            @Override
            public void onError(Throwable t) {
                complete.completeExceptionally(t);
            }

            @Override
            public void onComplete() {
                complete.complete(null);
            }
        });
        complete.get(60, TimeUnit.SECONDS);
        assertThat(overDelivered).as("more onNext than requested").isFalse();
        assertThat(got.toByteArray()).isEqualTo(Helper.pattern(0, 500_000));
    }

    @Test
    void publisherWithoutDemandPausesTheChild() throws Exception {
        ChildProcess c = reaper.spawn(Helper.command("print-bytes", "10000000").stdout(Stdio.pipe()).stderr(Stdio.ignore()));
        AtomicInteger items = new AtomicInteger();
        CompletableFuture<Flow.Subscription> subscription = new CompletableFuture<>();
        c.stdout().publisher().subscribe(new Flow.Subscriber<>() {
            @Override
            public void onSubscribe(Flow.Subscription s) {
                subscription.complete(s);
                s.request(2);
            }

            @Override
            public void onNext(ByteBuffer item) {
                items.incrementAndGet();
            }

            @Override
            public void onError(Throwable t) {}

            @Override
            public void onComplete() {}
        });
        // with 2 items requested, 10 MB cannot all go through: the child stays blocked in write
        assertThat(c.waitFor(java.time.Duration.ofMillis(500))).isEmpty();
        assertThat(items.get()).isLessThanOrEqualTo(2);
        subscription.get().cancel();
    }

    @Test
    void inputStreamAndChannel() throws Exception {
        ChildProcess a = printf("through a stream\\n");
        try (InputStream in = a.stdout().inputStream()) {
            assertThat(new String(in.readAllBytes(), StandardCharsets.UTF_8)).isEqualTo("through a stream\n");
            assertThat(in.read()).isEqualTo(-1);
        }
        ChildProcess b = printf("through a channel");
        try (ReadableByteChannel ch = b.stdout().channel()) {
            ByteBuffer buf = ByteBuffer.allocate(100);
            while (ch.read(buf) >= 0) {
                // until EOF
            }
            buf.flip();
            assertThat(StandardCharsets.UTF_8.decode(buf).toString()).isEqualTo("through a channel");
        }
    }

    @Test
    void writeChannelToStdin() throws Exception {
        ChildProcess c = reaper.spawn(Command.of("cat").stdin(Stdio.pipe()).stdout(Stdio.pipe()));
        CompletableFuture<String> out = c.stdout().readAllText();
        try (WritableByteChannel ch = c.stdin().channel()) {
            ch.write(ByteBuffer.wrap("via channel".getBytes(StandardCharsets.UTF_8)));
        }
        assertThat(out.get(60, TimeUnit.SECONDS)).isEqualTo("via channel");
    }

    @Test
    void closingTheInputStreamEarlyLetsTheChildEnd() throws Exception {
        ChildProcess c = reaper.spawn(Command.of("head", "-c", "100000000", "/dev/zero").stdout(Stdio.pipe()));
        InputStream in = c.stdout().inputStream();
        assertThat(in.readNBytes(1000)).hasSize(1000);
        in.close();
        // head gets EPIPE/SIGPIPE once we no longer read: it ends rather than blocking forever
        ExitStatus s = c.waitFor();
        assertThat(s.isSuccess()).isFalse();
    }

    @Test
    void readAllTextAndDiscard() throws Exception {
        assertThat(printf("grüße\\n").stdout().readAllText().get(60, TimeUnit.SECONDS)).isEqualTo("grüße\n");
        ChildProcess c = reaper.spawn(Command.of("head", "-c", "5000000", "/dev/zero").stdout(Stdio.pipe()));
        c.stdout().discard().get(60, TimeUnit.SECONDS);
        assertThat(c.waitFor().isSuccess()).isTrue();
    }

    @Test
    void doneCompletesAfterTheLastCallback() throws Exception {
        ChildProcess c = printf("a\\nb\\n");
        List<String> lines = new CopyOnWriteArrayList<>();
        CompletableFuture<Void> done = c.stdout().onLine(lines::add).done();
        done.get(60, TimeUnit.SECONDS);
        assertThat(lines).containsExactly("a", "b");
    }

    @Test
    void aSecondConsumerIsRefused() {
        ChildProcess c = printf("x");
        ReadEnd out = c.stdout();
        out.onLine(l -> {});
        assertThatThrownBy(() -> out.onData(b -> {})).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(out::inputStream).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(out::readAllBytes).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(out::discard).isInstanceOf(IllegalStateException.class);
        CompletableFuture<Throwable> err = new CompletableFuture<>();
        out.publisher().subscribe(new Flow.Subscriber<>() {
            @Override
            public void onSubscribe(Flow.Subscription s) {}

            @Override
            public void onNext(ByteBuffer item) {}

            @Override
            public void onError(Throwable t) {
                err.complete(t);
            }

            @Override
            public void onComplete() {
                err.complete(null);
            }
        });
        assertThat(err.join()).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void streamsThatAreNotPipesAreRefused() {
        ChildProcess c = reaper.spawn(Command.of("true").stdout(Stdio.ignore()));
        assertThatThrownBy(c::stdout).isInstanceOf(IllegalStateException.class).hasMessageContaining("not a pipe");
        assertThatThrownBy(c::stderr).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(c::stdin).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void stdoutAndStderrKeepTheirOwnOrder() throws Exception {
        ChildProcess c = reaper.spawn(Command.of("sh", "-c", "for i in 1 2 3 4 5; do echo o$i; echo e$i >&2; done")
                .stdout(Stdio.pipe()).stderr(Stdio.pipe()));
        CompletableFuture<String> out = c.stdout().readAllText();
        CompletableFuture<String> err = c.stderr().readAllText();
        assertThat(out.get(60, TimeUnit.SECONDS)).isEqualTo("o1\no2\no3\no4\no5\n");
        assertThat(err.get(60, TimeUnit.SECONDS)).isEqualTo("e1\ne2\ne3\ne4\ne5\n");
    }
}
