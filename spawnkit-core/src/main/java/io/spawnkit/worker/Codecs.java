package io.spawnkit.worker;

import java.nio.charset.StandardCharsets;

/** The codecs {@link Codec} offers. */
final class Codecs {
    private Codecs() {}

    /** {@link Codec#utf8()}. */
    enum Utf8 implements Codec<String> {
        INSTANCE;

        @Override
        public byte[] encode(String value) {
            return value.getBytes(StandardCharsets.UTF_8);
        }

        @Override
        public String decode(byte[] frame) {
            return new String(frame, StandardCharsets.UTF_8);
        }
    }

    /** {@link Codec#bytes()}. */
    enum Bytes implements Codec<byte[]> {
        INSTANCE;

        @Override
        public byte[] encode(byte[] value) {
            return value;
        }

        @Override
        public byte[] decode(byte[] frame) {
            return frame;
        }
    }
}
