package io.spawnkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Many children at once on one event loop: every line arrives, and no thread per child. */
class ConcurrencyTest {
    @RegisterExtension
    final Reaper reaper = new Reaper();

    private static long spawnkitThreads() {
        return Thread.getAllStackTraces().keySet().stream().filter(t -> t.getName().startsWith("spawnkit")).count();
    }

    @Test
    void aThousandChildrenAtOnceWithLinesOnTheLoop() throws Exception {
        int n = 1000;
        int threadsBefore = Thread.getAllStackTraces().size();
        Map<Integer, String> lines = new ConcurrentHashMap<>();
        List<ChildProcess> children = new ArrayList<>();
        List<CompletableFuture<Void>> done = new ArrayList<>();
        long maxSpawnkitThreads = 0;
        int maxThreads = 0;
        for (int i = 0; i < n; i++) {
            int id = i;
            ChildProcess c = reaper.spawn(Command.of("sh", "-c", "echo line-" + id + "; sleep 0.5").stdout(Stdio.pipe()));
            children.add(c);
            done.add(c.stdout().onLine(l -> lines.merge(id, l, (a, b) -> a + "|" + b)).done());
            if (i % 100 == 0) {
                maxSpawnkitThreads = Math.max(maxSpawnkitThreads, spawnkitThreads());
                maxThreads = Math.max(maxThreads, Thread.getAllStackTraces().size());
            }
        }
        maxSpawnkitThreads = Math.max(maxSpawnkitThreads, spawnkitThreads());
        maxThreads = Math.max(maxThreads, Thread.getAllStackTraces().size());
        for (ChildProcess c : children) {
            assertThat(c.waitFor().isSuccess()).isTrue();
        }
        CompletableFuture.allOf(done.toArray(CompletableFuture[]::new)).get(120, TimeUnit.SECONDS);
        assertThat(lines).hasSize(n);
        for (int i = 0; i < n; i++) {
            assertThat(lines.get(i)).isEqualTo("line-" + i);
        }
        assertThat(maxSpawnkitThreads).as("threads named spawnkit*").isLessThanOrEqualTo(4);
        assertThat(maxThreads - threadsBefore).as("threads added while 1000 children ran").isLessThanOrEqualTo(4);
    }

    @Test
    @Tag("portable")
    void aHundredChildrenFromManyThreadsAllGetTheirOutput() throws Exception {
        int n = 100;
        AtomicInteger ok = new AtomicInteger();
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            int id = i;
            threads.add(Thread.ofVirtual().start(() -> {
                Output out = Command.of("sh", "-c", "echo out-" + id + "; echo err-" + id + " >&2").output();
                if (out.stdoutText().equals("out-" + id + "\n") && out.stderrText().equals("err-" + id + "\n")
                        && out.status().isSuccess()) {
                    ok.incrementAndGet();
                }
            }));
        }
        for (Thread t : threads) {
            t.join();
        }
        assertThat(ok).hasValue(n);
    }
}
