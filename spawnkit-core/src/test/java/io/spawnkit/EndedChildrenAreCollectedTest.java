package io.spawnkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.lang.ref.WeakReference;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * A child that has ended, and whose streams have ended, is garbage once its owner drops it. The
 * long soak ran out of heap after about 1,000 s: every child with a piped stdout stayed reachable,
 * through the cleaner registered for its ReadEnd (cleaner -> the source -> its sink -> the ReadEnd
 * -> the ChildProcess). The sources now let go of their sink once the stream has ended.
 */
@Tag("portable")
class EndedChildrenAreCollectedTest {

    @Test
    void childrenWithConsumedPipesAreCollectedOnceTheyHaveEnded() throws Exception {
        assertCollected(() -> {
            ChildProcess c = Command.of("echo", "hi").stdout(Stdio.pipe()).spawn();
            c.stdout().onData(b -> { });
            c.waitFor();
            c.stdout().done().get();
            return c;
        });
        assertCollected(() -> {
            ChildProcess c = Command.of("echo", "hi").stdout(Stdio.pipe()).spawn();
            try (InputStream in = c.stdout().inputStream()) {
                in.readAllBytes();
            }
            c.waitFor();
            return c;
        });
        assertCollected(() -> {
            ChildProcess c = Command.of("sh", "-c", "echo out; echo err >&2").stdout(Stdio.pipe())
                    .stderr(Stdio.pipe()).spawn();
            c.stdout().onLine(line -> { });
            c.stderr().discard();
            c.waitFor();
            c.stdout().done().get();
            c.stderr().done().get();
            return c;
        });
    }

    private static void assertCollected(Callable<ChildProcess> run) throws Exception {
        List<WeakReference<ChildProcess>> refs = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            refs.add(new WeakReference<>(run.call()));
        }
        long reachable = refs.size();
        for (int round = 0; round < 50 && reachable > 0; round++) {
            System.gc();
            Thread.sleep(20); // loop and cleaner threads finish their last callbacks
            reachable = refs.stream().filter(r -> r.get() != null).count();
        }
        assertThat(reachable).as("children still reachable after they ended and were dropped").isZero();
    }
}
