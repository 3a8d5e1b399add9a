package io.spawnkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.foreign.MemorySegment;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The child starts with an empty signal mask and default dispositions, whatever this JVM has set
 * (JDK's UnblockSignals). A JVM resets its own state at start-up, so the child checked is grep.
 */
class SignalStateTest {
    private static final int SIGWINCH = 28;
    private static final int SIGUSR1 = 10;
    private static final int SIGTTOU = 22;
    private static final String ZERO = "0000000000000000";

    private static List<String> childSignalState() {
        Output out = Command.of("grep", "-E", "^(SigBlk|SigIgn):", "/proc/self/status").output();
        assertThat(out.status().isSuccess()).as(out.stderrText()).isTrue();
        return out.stdoutText().lines().toList();
    }

    @Test
    void maskAndIgnoredSignalsAreResetInTheChild() {
        MemorySegment oldWinch = TestLibc.signal(SIGWINCH, 1); // SIG_IGN
        MemorySegment oldTtou = TestLibc.signal(SIGTTOU, 1);
        byte[] oldMask = TestLibc.blockInThisThread(SIGUSR1);
        try {
            List<String> ours = new java.util.ArrayList<>();
            for (String line : readOwnThreadStatus()) {
                ours.add(line);
            }
            assertThat(ours).as("this thread blocks and ignores something").noneMatch(l -> l.endsWith(ZERO));
            List<String> child = childSignalState();
            assertThat(child).containsExactly("SigBlk:\t" + ZERO, "SigIgn:\t" + ZERO);
        } finally {
            TestLibc.setMask(oldMask);
            TestLibc.restoreSignal(SIGWINCH, oldWinch);
            TestLibc.restoreSignal(SIGTTOU, oldTtou);
        }
    }

    @Test
    void theChildOfAnUntouchedJvmHasAnEmptyMaskToo() {
        assertThat(childSignalState()).containsExactly("SigBlk:\t" + ZERO, "SigIgn:\t" + ZERO);
    }

    @Test
    void theHelperReportsItsSignalState() {
        // a JVM child sets up its own handlers; the helper still prints both lines
        Output out = Helper.command("signal-state").output();
        assertThat(out.stdoutText().lines()).hasSize(2).anyMatch(l -> l.startsWith("SigBlk")).anyMatch(l -> l.startsWith("SigIgn"));
    }

    private static List<String> readOwnThreadStatus() {
        long tid = currentTid();
        try {
            return java.nio.file.Files.readAllLines(java.nio.file.Path.of("/proc/self/task/" + tid + "/status")).stream()
                    .filter(l -> l.startsWith("SigBlk") || l.startsWith("SigIgn")).toList();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static long currentTid() {
        try {
            // /proc/thread-self names the calling thread
            return Long.parseLong(java.nio.file.Files.readSymbolicLink(java.nio.file.Path.of("/proc/thread-self"))
                    .getFileName().toString());
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
