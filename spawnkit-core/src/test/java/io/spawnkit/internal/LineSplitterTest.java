package io.spawnkit.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The contract table of {@link LineSplitter}, row by row, and the cases around it. */
class LineSplitterTest {
    private final List<String> lines = new ArrayList<>();
    private LineSplitter splitter = new LineSplitter(lines::add, StandardCharsets.UTF_8, 1 << 20);

    private void feed(String s) {
        feed(s.getBytes(StandardCharsets.UTF_8));
    }

    private void feed(byte[] b) {
        ByteBuffer buf = ByteBuffer.wrap(b);
        splitter.feed(buf);
        assertThat(buf.hasRemaining()).as("feed consumes everything").isFalse();
    }

    @Test
    void completeLinesAreEmittedAtOnce() {
        feed("a\nb\n");
        assertThat(lines).containsExactly("a", "b");
        assertThat(splitter.hasPartialLine()).isFalse();
    }

    @Test
    void partialLinesAreJoinedAcrossFeeds() {
        feed("a");
        assertThat(lines).isEmpty();
        assertThat(splitter.hasPartialLine()).isTrue();
        feed("b\n");
        assertThat(lines).containsExactly("ab");
    }

    @Test
    void crlfLosesItsCrAndTheLastLineIsFlushedAtEnd() {
        feed("a\r\nb");
        assertThat(lines).containsExactly("a");
        splitter.end();
        assertThat(lines).containsExactly("a", "b");
    }

    @Test
    void crAndLfSplitAcrossFeedsStillMakeOneLineEnd() {
        feed("a\r");
        feed("\nb\n");
        assertThat(lines).containsExactly("a", "b");
    }

    @Test
    void emptyLinesAreKept() {
        feed("\n\n");
        assertThat(lines).containsExactly("", "");
    }

    @Test
    void aLoneCrIsKept() {
        feed("x\ry\n");
        assertThat(lines).containsExactly("x\ry");
    }

    @Test
    void aTrailingCrWithoutLfAtEndIsKept() {
        feed("prompt\r");
        splitter.end();
        assertThat(lines).containsExactly("prompt\r");
    }

    @Test
    void endWithoutAPartialLineEmitsNothing() {
        feed("a\n");
        splitter.end();
        assertThat(lines).containsExactly("a");
    }

    @Test
    void overlongLinesComeInPiecesOfMaxLength() {
        splitter = new LineSplitter(lines::add, StandardCharsets.UTF_8, 8);
        feed("0123456789ab\ncd\n");
        assertThat(lines).containsExactly("01234567", "89ab", "cd");
    }

    @Test
    void overlongLineWithoutNewlineContinuesAfterTheFirstPiece() {
        splitter = new LineSplitter(lines::add, StandardCharsets.UTF_8, 4);
        feed("abcdefghij");
        assertThat(lines).containsExactly("abcd", "efgh");
        splitter.end();
        assertThat(lines).containsExactly("abcd", "efgh", "ij");
    }

    @Test
    void multiByteCharacterSplitAcrossFeedsIsWhole() {
        byte[] euro = "€uro\n".getBytes(StandardCharsets.UTF_8); // € is 3 bytes
        for (int i = 0; i < euro.length; i++) {
            feed(new byte[] {euro[i]});
        }
        assertThat(lines).containsExactly("€uro");
    }

    @Test
    void flushPartialEmitsAPromptAndStartsAfresh() {
        feed("Password: ");
        splitter.flushPartial();
        feed("next\n");
        assertThat(lines).containsExactly("Password: ", "next");
    }

    @Test
    void feedHonoursTheBuffersPositionAndLimit() {
        ByteBuffer buf = ByteBuffer.wrap("xxa\nb\nyy".getBytes(StandardCharsets.US_ASCII));
        buf.position(2).limit(6);
        splitter.feed(buf);
        assertThat(buf.position()).isEqualTo(6);
        assertThat(lines).containsExactly("a", "b");
    }

    @Test
    void directBuffersWork() {
        ByteBuffer buf = ByteBuffer.allocateDirect(16);
        buf.put("one\ntwo".getBytes(StandardCharsets.US_ASCII)).flip();
        splitter.feed(buf);
        splitter.end();
        assertThat(lines).containsExactly("one", "two");
    }

    @Test
    void aHugeLineDoesNotKeepItsBufferForever() {
        splitter = new LineSplitter(lines::add, StandardCharsets.UTF_8, 1 << 20);
        feed("x".repeat(100_000) + "\nshort\n");
        assertThat(lines).hasSize(2);
        assertThat(lines.get(0)).hasSize(100_000);
        assertThat(lines.get(1)).isEqualTo("short");
    }

    @Test
    void maxLengthMustBePositive() {
        assertThatThrownBy(() -> new LineSplitter(lines::add, StandardCharsets.UTF_8, 0))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
