package io.spawnkit.bench;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;

/**
 * Frames bytes into UTF-8 lines for libraries that hand out raw bytes (NuProcess). Kept apart from
 * spawnkit's own splitter so that no competitor runs spawnkit code. One stream, one thread.
 */
final class Lines {
    private final Consumer<String> out;
    private final ByteArrayOutputStream partial = new ByteArrayOutputStream();

    Lines(Consumer<String> out) {
        this.out = out;
    }

    /** Consumes the buffer's remaining bytes. */
    void feed(ByteBuffer data) {
        while (data.hasRemaining()) {
            byte b = data.get();
            if (b == '\n') {
                out.accept(partial.toString(StandardCharsets.UTF_8));
                partial.reset();
            } else {
                partial.write(b);
            }
        }
    }

    /** End of stream: a last line without a newline is delivered. */
    void end() {
        if (partial.size() > 0) {
            out.accept(partial.toString(StandardCharsets.UTF_8));
            partial.reset();
        }
    }
}
