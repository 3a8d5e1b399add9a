package io.spawnkit.os;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;

/**
 * The descriptors a test of {@link Os} opened: each pipe end it made is kept here until the test
 * closes it ({@link #close}) or the test's clean-up closes what is left ({@link #closeAll}), so that
 * a failing test leaves nothing open.
 */
final class OsDescriptors {
    private final List<Integer> open = new ArrayList<>();

    /** {@link Os#pipe()}, asserted to succeed; both ends kept for {@link #closeAll}. */
    int[] pipe() {
        int[] p = Os.pipe();
        assertThat(p).as("Os.pipe()").hasSize(2);
        open.add(p[0]);
        open.add(p[1]);
        return p;
    }

    /** Keeps {@code fd} (a dup, say) for {@link #closeAll}. */
    void add(int fd) {
        open.add(fd);
    }

    /** Closes {@code fd} now, asserting it was open, and not again in {@link #closeAll}. */
    void close(int fd) {
        assertThat(Os.close(fd)).as("Os.close(" + fd + ")").isZero();
        open.remove(Integer.valueOf(fd));
    }

    /** Closes every descriptor still kept (errors ignored: the test may have closed one itself). */
    void closeAll() {
        for (int fd : open) {
            Os.close(fd);
        }
        open.clear();
    }
}
