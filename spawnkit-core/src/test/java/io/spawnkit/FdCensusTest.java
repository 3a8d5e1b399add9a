package io.spawnkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A child receives exactly the descriptors its Stdio list names, although this JVM holds 50 open
 * without close-on-exec (JDK's FDLeaks; Go's fd census).
 */
class FdCensusTest {
    private final List<Integer> leaky = new ArrayList<>();

    @TempDir
    Path tmp;

    @BeforeEach
    void openFiftyInheritableDescriptors() {
        for (int i = 0; i < 50; i++) {
            leaky.add(TestLibc.open("/dev/null", TestLibc.O_RDONLY, 0));
        }
    }

    @AfterEach
    void closeThem() {
        leaky.forEach(TestLibc::close);
    }

    @Test
    @Tag("portable")
    void theChildSeesOnlyZeroOneTwo() {
        Output out = Helper.listFdsCommand().output();
        assertThat(out.status().isSuccess()).isTrue();
        assertThat(Helper.parseFds(out.stdoutText())).containsExactly(0, 1, 2);
    }

    @Test
    @Tag("portable")
    void theChildSeesOnlyZeroOneTwoWithEveryStreamPipedOrInherited() throws Exception {
        ChildProcess c = Helper.listFdsCommand().stdin(Stdio.pipe()).stdout(Stdio.pipe()).stderr(Stdio.inherit()).spawn();
        try {
            CompletableFuture<String> out = c.stdout().readAllText();
            c.stdin().close();
            assertThat(Helper.parseFds(out.get())).containsExactly(0, 1, 2);
        } finally {
            c.killTree();
            c.close();
        }
    }

    @Test
    void givenDescriptorsAndNothingElse() {
        Output out = Helper.listFdsCommand().fd(3, Stdio.pipe()).fd(4, Stdio.ignore())
                .fd(10, Stdio.to(tmp.resolve("ten"))).fd(leaky.get(7), Stdio.fd(leaky.get(7))).output();
        assertThat(Helper.parseFds(out.stdoutText())).containsExactly(0, 1, 2, 3, 4, 10, leaky.get(7));
    }

    @Test
    void aParentDescriptorGivenUnderAnotherNumberIsNotAlsoPassedUnderItsOwn() {
        int parentFd = leaky.get(3);
        Output out = Helper.listFdsCommand().fd(3, Stdio.fd(parentFd)).output();
        assertThat(Helper.parseFds(out.stdoutText())).containsExactly(0, 1, 2, 3);
    }

    /** While other threads spawn with pipes, none of their descriptors leaks into another child. */
    @Test
    @Tag("portable")
    void concurrentSpawnsDoNotLeakPipesIntoEachOther() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<String>> results = new ArrayList<>();
            for (int i = 0; i < 200; i++) {
                results.add(pool.submit(() -> Helper.listFdsCommand().stdin(Stdio.text("")).output().stdoutText()));
            }
            for (Future<String> r : results) {
                assertThat(Helper.parseFds(r.get())).containsExactly(0, 1, 2);
            }
        } finally {
            pool.shutdownNow();
        }
    }
}
