package io.spawnkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * 200 spawns from many threads at once with 100 failing spawns interleaved (missing program,
 * missing directory, a directory as program, a file that is not executable): the error path of one
 * spawn must not swallow, steal or duplicate the exit of another child. Each child exits with a
 * code of its own, so a status handed to the wrong child shows.
 */
@Tag("portable")
class ConcurrentFailingSpawnsTest {
    private static final int CHILDREN = 200;
    private static final int FAILURES = 100;

    @TempDir
    Path tmp;

    private record Started(int index, ChildProcess child, AtomicInteger completions, CompletableFuture<ExitStatus> counted) {}

    @Test
    void everyExitIsObservedExactlyOnce() throws Exception {
        Path notExecutable = Files.writeString(tmp.resolve("not-executable"), "#!/bin/sh\nexit 0\n");
        Path missingDir = tmp.resolve("missing-dir");
        Command.of("true").status(); // the backend's own descriptors exist from here on
        Set<Long> childrenBefore = new HashSet<>(Helper.childPids());

        ExecutorService pool = Executors.newFixedThreadPool(8);
        CountDownLatch go = new CountDownLatch(1);
        List<Future<Started>> spawned = new ArrayList<>();
        AtomicInteger refused = new AtomicInteger();
        List<Started> started = new ArrayList<>();
        try {
            // every third task fails: 300 tasks, 200 children, 100 refusals, all released at once
            for (int task = 0, child = 0; task < CHILDREN + FAILURES; task++) {
                if (task % 3 == 2) {
                    int kind = task;
                    spawned.add(pool.submit(() -> {
                        go.await();
                        try {
                            ChildProcess unexpected = failingCommand(kind, notExecutable, missingDir).spawn();
                            unexpected.kill();
                            unexpected.waitFor();
                            return null;
                        } catch (SpawnException expected) {
                            refused.incrementAndGet();
                            return null;
                        }
                    }));
                } else {
                    int index = child++;
                    spawned.add(pool.submit(() -> {
                        go.await();
                        ChildProcess c = childCommand(index).spawn();
                        AtomicInteger completions = new AtomicInteger();
                        CompletableFuture<ExitStatus> counted = c.onExit().whenComplete((s, e) -> completions.incrementAndGet());
                        return new Started(index, c, completions, counted);
                    }));
                }
            }
            go.countDown();
            for (Future<Started> f : spawned) {
                Started s = f.get(2, TimeUnit.MINUTES);
                if (s != null) {
                    started.add(s);
                }
            }
            assertThat(refused.get()).isEqualTo(FAILURES);
            assertThat(started).hasSize(CHILDREN);
            for (Started s : started) {
                ExitStatus status = s.child().onExit().get(2, TimeUnit.MINUTES);
                assertThat(status).as("child %d (pid %d)", s.index(), s.child().pid()).isEqualTo(expectedStatus(s.index()));
                assertThat(s.child().waitFor()).isEqualTo(status);
                assertThat(s.child().poll()).contains(status);
            }
            for (Started s : started) {
                s.counted().get(1, TimeUnit.MINUTES); // dependent actions may run after get() returns
                assertThat(s.completions().get()).as("exits observed for child %d", s.index()).isEqualTo(1);
            }
            assertThat(started.stream().map(s -> s.child().pid()).distinct()).hasSize(CHILDREN);
            assertThat(Helper.eventually(Duration.ofSeconds(20), () -> childrenBefore.containsAll(Helper.childPids())))
                    .as("children left: %s (zombies: %s)", Helper.childPids(), Helper.zombieChildren()).isTrue();
        } finally {
            pool.shutdownNow();
            for (Started s : started) {
                s.child().kill();
            }
        }
    }

    /** Children that end at once, and a third that sleep a little so that many run together. */
    private static Command childCommand(int index) {
        return index % 3 == 0
                ? Command.of("sh", "-c", "sleep 0.2; exit " + (index % 250))
                : Command.of("sh", "-c", "exit " + (index % 250));
    }

    private static ExitStatus expectedStatus(int index) {
        return ExitStatus.exited(index % 250);
    }

    private Command failingCommand(int task, Path notExecutable, Path missingDir) {
        return switch ((task / 3) % 4) {
            case 0 -> Command.of("no-such-program-xyz");
            case 1 -> Command.of("true").directory(missingDir);
            case 2 -> Command.of(tmp.toString());
            default -> Command.of(notExecutable.toString());
        };
    }
}
