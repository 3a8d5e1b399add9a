package io.spawnkit.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

/** However a stream is cut into reads, {@link LineSplitter} gives the same lines. */
class LineSplitterPropertyTest {

    @Property(tries = 300)
    void chunkingDoesNotChangeTheLines(@ForAll("texts") String text, @ForAll("cuts") List<Integer> cuts,
            @ForAll @IntRange(min = 1, max = 12) int maxLength) {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        List<String> whole = split(bytes, List.of(), maxLength);
        List<String> chunked = split(bytes, cuts, maxLength);
        assertThat(chunked).isEqualTo(whole);
    }

    @Property(tries = 300)
    void withRoomEnoughTheLinesAreTheTextSplitAtNewlines(@ForAll("texts") String text,
            @ForAll("cuts") List<Integer> cuts) {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        List<String> expected = new ArrayList<>();
        String[] parts = text.split("\n", -1);
        for (int i = 0; i < parts.length; i++) {
            boolean last = i == parts.length - 1;
            String p = parts[i];
            if (last) {
                if (!p.isEmpty()) {
                    expected.add(p);
                }
            } else {
                expected.add(p.endsWith("\r") ? p.substring(0, p.length() - 1) : p);
            }
        }
        assertThat(split(bytes, cuts, 1 << 20)).isEqualTo(expected);
    }

    private static List<String> split(byte[] bytes, List<Integer> cuts, int maxLength) {
        List<String> out = new ArrayList<>();
        LineSplitter s = new LineSplitter(out::add, StandardCharsets.UTF_8, maxLength);
        int pos = 0;
        for (int c : cuts) {
            int end = Math.min(bytes.length, pos + c);
            s.feed(ByteBuffer.wrap(bytes, pos, end - pos));
            pos = end;
        }
        s.feed(ByteBuffer.wrap(bytes, pos, bytes.length - pos));
        s.end();
        return out;
    }

    @Provide
    Arbitrary<String> texts() {
        Arbitrary<Character> chars = Arbitraries.of('a', 'b', ' ', '\n', '\r', 'é', '€');
        return chars.list().ofMaxSize(60).map(l -> {
            StringBuilder sb = new StringBuilder();
            l.forEach(sb::append);
            return sb.toString();
        });
    }

    @Provide
    Arbitrary<List<Integer>> cuts() {
        return Arbitraries.integers().between(0, 7).list().ofMaxSize(30);
    }
}
