package io.spawnkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Tag;

/**
 * Property tests of the reliability issue: whatever the bytes and however they are cut into writes,
 * they come back from {@code cat} exactly; whatever the arguments (any Unicode, blanks, quotes,
 * backslashes, newlines, empty strings; not NUL, which is refused), the child gets exactly them.
 */
@Tag("portable")
class RoundTripPropertyTest {

    @Property(tries = 40)
    void randomBytesInRandomWritesComeBackFromCatByteExact(@ForAll("payloads") byte[] payload,
            @ForAll @IntRange(min = 1, max = 70_000) int writeSize) throws Exception {
        ChildProcess cat = Command.of("cat").stdin(Stdio.pipe()).stdout(Stdio.pipe()).stderr(Stdio.ignore()).spawn();
        try {
            CompletableFuture<byte[]> back = cat.stdout().readAllBytes();
            List<CompletableFuture<Void>> writes = new ArrayList<>();
            for (int off = 0; off < payload.length; off += writeSize) {
                writes.add(cat.stdin().write(Arrays.copyOfRange(payload, off, Math.min(payload.length, off + writeSize))));
            }
            cat.stdin().close().get(60, TimeUnit.SECONDS);
            for (CompletableFuture<Void> w : writes) {
                w.get(60, TimeUnit.SECONDS);
            }
            assertThat(back.get(60, TimeUnit.SECONDS)).isEqualTo(payload);
            assertThat(cat.waitFor()).isEqualTo(ExitStatus.exited(0));
        } finally {
            cat.kill();
        }
    }

    @Property(tries = 60)
    void randomArgumentsReachTheChildExactly(@ForAll("argvs") List<String> args) {
        List<String> argv = new ArrayList<>(List.of("sh", "-c", "for a in \"$@\"; do printf '%s\\0' \"$a\"; done", "sh"));
        argv.addAll(args);
        Output out = Command.of(argv).output();
        assertThat(out.status()).isEqualTo(ExitStatus.exited(0));
        byte[] bytes = out.stdout();
        List<String> got = new ArrayList<>();
        int start = 0;
        for (int i = 0; i < bytes.length; i++) {
            if (bytes[i] == 0) {
                got.add(new String(bytes, start, i - start, StandardCharsets.UTF_8));
                start = i + 1;
            }
        }
        assertThat(start).as("every argument NUL-terminated").isEqualTo(bytes.length);
        assertThat(got).isEqualTo(args);
    }

    @Provide
    Arbitrary<byte[]> payloads() {
        return Arbitraries.integers().between(0, 300 * 1024).flatMap(n -> Arbitraries.bytes().array(byte[].class).ofSize(n));
    }

    @Provide
    Arbitrary<List<String>> argvs() {
        // code points of every plane except surrogates and NUL, with the characters shells and
        // command lines trip on weighted up
        Arbitrary<Integer> anyCodePoint = Arbitraries.integers().between(1, 0x10FFFF)
                .filter(cp -> cp < 0xD800 || cp > 0xDFFF);
        Arbitrary<Integer> tricky = Arbitraries.of((int) ' ', (int) '\t', (int) '\n', (int) '"', (int) '\'',
                (int) '\\', (int) '$', (int) '`', (int) '*', (int) '%', (int) '=', 0xE9, 0x1F600);
        Arbitrary<String> arg = Arbitraries.frequencyOf(net.jqwik.api.Tuple.of(1, anyCodePoint),
                        net.jqwik.api.Tuple.of(1, tricky))
                .list().ofMaxSize(12)
                .map(cps -> {
                    StringBuilder sb = new StringBuilder();
                    cps.forEach(sb::appendCodePoint);
                    return sb.toString();
                });
        return arg.list().ofMaxSize(20);
    }
}
