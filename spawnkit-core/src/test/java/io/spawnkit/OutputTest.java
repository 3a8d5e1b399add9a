package io.spawnkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** {@link Command#output()}: capture, checkSuccess with a bounded stderr tail, the capture limit. */
@Tag("portable")
class OutputTest {

    @Test
    void outputCapturesBothStreamsAndTheStatus() {
        Output out = Command.of("sh", "-c", "echo out; echo err >&2; exit 4").output();
        assertThat(out.status()).isEqualTo(ExitStatus.exited(4));
        assertThat(out.stdoutText()).isEqualTo("out\n");
        assertThat(out.stderrText()).isEqualTo("err\n");
        assertThat(out.stdout()).isEqualTo("out\n".getBytes(StandardCharsets.UTF_8));
        assertThat(out.stdoutTruncated()).isFalse();
        assertThat(out.stderrTruncated()).isFalse();
        assertThat(out.toString()).contains("exited with code 4");
    }

    @Test
    void outputReadsStdinFromDevNull() {
        Output out = Command.of("cat").output();
        assertThat(out.status().isSuccess()).isTrue();
        assertThat(out.stdout()).isEmpty();
    }

    @Test
    void checkSuccessReturnsTheOutputOnSuccess() {
        Output out = Command.of("echo", "fine").output();
        assertThat(out.checkSuccess()).isSameAs(out);
    }

    @Test
    void checkSuccessThrowsWithTheStatusAndAStderrTailOfAtMost4096Bytes() {
        // 10,000 bytes of stderr, ending in a recognisable line
        Output out = Command.of("sh", "-c", "head -c 10000 /dev/zero | tr '\\0' 'x' >&2; echo >&2; echo the-end >&2; exit 7")
                .output();
        ProcessFailedException e = catchThrowableOfType(ProcessFailedException.class, out::checkSuccess);
        assertThat(e.status()).isEqualTo(ExitStatus.exited(7));
        assertThat(e.stderrTail()).endsWith("the-end\n");
        assertThat(e.stderrTail().getBytes(StandardCharsets.UTF_8).length).isLessThanOrEqualTo(ProcessFailedException.TAIL_LIMIT);
        assertThat(ProcessFailedException.TAIL_LIMIT).isEqualTo(4096);
        assertThat(e.command()).containsExactly("sh", "-c",
                "head -c 10000 /dev/zero | tr '\\0' 'x' >&2; echo >&2; echo the-end >&2; exit 7");
        assertThat(e.getMessage()).contains("exited with code 7").contains("the-end");
    }

    @Test
    void checkSuccessOfASignalDeath() {
        Output out = Command.of("sh", "-c", "kill -KILL $$").output();
        ProcessFailedException e = catchThrowableOfType(ProcessFailedException.class, out::checkSuccess);
        assertThat(e.status().isSuccess()).isFalse();
        assertThat(e.stderrTail()).isEmpty();
    }

    @Test
    void captureLimitTruncatesAndFlagsButReadsEverything() {
        Output out = Command.of("sh", "-c", "head -c 100000 /dev/zero; head -c 10 /dev/zero >&2").captureLimit(1000).output();
        assertThat(out.status().isSuccess()).as("the child was not blocked: the rest was read and dropped").isTrue();
        assertThat(out.stdout()).hasSize(1000);
        assertThat(out.stdoutTruncated()).isTrue();
        assertThat(out.stderr()).hasSize(10);
        assertThat(out.stderrTruncated()).isFalse();
        Output zero = Command.of("echo", "x").captureLimit(0).output();
        assertThat(zero.stdout()).isEmpty();
        assertThat(zero.stdoutTruncated()).isTrue();
    }

    @Test
    void aFloodOnBothStreamsFarPastTheCaptureLimitIsReadToTheEndAndDropped() {
        // 32 MiB on each stream at once against a 4 KiB limit: memory stays bounded, the child is
        // never blocked on a full pipe, the status arrives, and each stream keeps exactly its first bytes
        Output out = Command.of("sh", "-c", "head -c 33554432 /dev/zero & head -c 33554432 /dev/zero | tr '\\0' e >&2; wait")
                .captureLimit(4096).output();
        assertThat(out.status()).isEqualTo(ExitStatus.exited(0));
        assertThat(out.stdout()).hasSize(4096).containsOnly(0);
        assertThat(out.stderr()).hasSize(4096).containsOnly('e');
        assertThat(out.stdoutTruncated()).isTrue();
        assertThat(out.stderrTruncated()).isTrue();
    }

    @Test
    void outputWithStreamsSetOtherwiseCapturesNothingThere(@org.junit.jupiter.api.io.TempDir java.nio.file.Path tmp)
            throws Exception {
        java.nio.file.Path f = tmp.resolve("out");
        Output out = Command.of("sh", "-c", "echo to-file; echo err >&2").stdout(Stdio.to(f)).output();
        assertThat(out.stdout()).isEmpty();
        assertThat(out.stderrText()).isEqualTo("err\n");
        assertThat(java.nio.file.Files.readString(f)).isEqualTo("to-file\n");
    }

    @Test
    void outputReturnsAtExitEvenIfAnotherStreamIsTheJvms() {
        Output out = Command.of("echo", "x").stderr(Stdio.inherit()).output();
        assertThat(out.stdoutText()).isEqualTo("x\n");
    }
}
