package io.spawnkit;

import static org.assertj.core.api.Assertions.assertThat;

import io.spawnkit.testhelper.FdCensusDriver;
import java.io.File;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

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

    /**
     * Replaces one of the 50 with a listening socket on loopback (dup2: no close-on-exec), the
     * descriptor a leak would hurt most: a child holding it keeps the port bound after we close it.
     */
    private int listeningSocketAmongTheFifty(List<String> targetsBefore) {
        // found by its inode: a number may have been another descriptor's a moment before
        long self = ProcessHandle.current().pid();
        int socket = Helper.openFds().stream()
                .filter(fd -> {
                    String t = String.valueOf(Helper.fdTarget(self, fd));
                    return t.startsWith("socket:") && !targetsBefore.contains(t);
                })
                .findFirst().orElseThrow();
        int slot = leaky.get(0);
        TestLibc.dup2(socket, slot); // closes the /dev/null in the slot
        assertThat(Helper.fdTarget(self, slot)).isEqualTo(Helper.fdTarget(self, socket));
        return slot;
    }

    @Test
    @Tag("portable")
    void aListeningSocketAmongTheFiftyDoesNotReachTheChild() throws Exception {
        List<String> before = Helper.ownFdTargets();
        try (ServerSocketChannel server = ServerSocketChannel.open()
                .bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
            listeningSocketAmongTheFifty(before);
            Output out = Helper.listFdsCommand().output();
            assertThat(out.status().isSuccess()).isTrue();
            assertThat(Helper.parseFds(out.stdoutText())).containsExactly(0, 1, 2);
        }
    }

    @Test
    void aListeningSocketGivenAsThreeIsThereAndNothingElse() throws Exception {
        List<String> before = Helper.ownFdTargets();
        try (ServerSocketChannel server = ServerSocketChannel.open()
                .bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
            int socket = listeningSocketAmongTheFifty(before);
            String target = Helper.fdTarget(ProcessHandle.current().pid(), socket);
            Output out = Helper.listFdsCommand().fd(3, Stdio.fd(socket)).output();
            assertThat(Helper.parseFds(out.stdoutText())).containsExactly(0, 1, 2, 3);
            Output link = Command.of("readlink", "/proc/self/fd/3").fd(3, Stdio.fd(socket)).output();
            assertThat(link.stdoutText().strip()).isEqualTo(target);
        }
    }

    /**
     * Descriptors above a lowered soft RLIMIT_NOFILE (a closer bounded by the limit would miss
     * them), in a JVM of its own so this one keeps its limit: see {@link FdCensusDriver}.
     */
    @ParameterizedTest
    @ValueSource(strings = {"linux", "jdk"})
    void descriptorsAboveALoweredFileLimitDoNotReachTheChild(String backend) throws Exception {
        String mainClasses = Path.of(Command.class.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
        List<String> argv = new ArrayList<>(List.of(Helper.JAVA, "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC",
                "-Xshare:auto", "-Xmx64m", "--enable-native-access=ALL-UNNAMED", "-Dspawnkit.backend=" + backend,
                "-cp", mainClasses + File.pathSeparator + Helper.testClasses(), FdCensusDriver.class.getName()));
        if (backend.equals("linux")) {
            argv.add("give");
        }
        Output out = Command.of(argv).timeout(Duration.ofMinutes(2)).output();
        assertThat(out.status().isSuccess()).as(out.stderrText()).isTrue();
        List<String> lines = out.stdoutText().lines().toList();
        assertThat(lines.get(0)).as("the driver's own descriptors at or above the limit")
                .startsWith("high ").contains(",200,").endsWith(",1000");
        assertThat(lines.get(1)).isEqualTo("census 0,1,2");
        if (backend.equals("linux")) {
            assertThat(lines.subList(2, lines.size())).containsExactly("given 0,1,2,3", "same-socket true", "os-exec 0 same-socket true");
        }
    }
}
