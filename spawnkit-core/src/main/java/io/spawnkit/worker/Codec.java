package io.spawnkit.worker;

/**
 * Turns values into the bytes of one frame and back.
 *
 * <p>There is deliberately no {@link java.io.Serializable} codec: deserialising bytes that came
 * from another process runs whatever class and {@code readObject} code those bytes name, a
 * code-execution hazard if the peer is not fully trusted (or is compromised). Use a data format
 * (UTF-8 text, JSON, protobuf, a fixed binary layout) and a codec for it; if you must use Java
 * serialisation, write that codec yourself with an {@link java.io.ObjectInputFilter} allow-list.
 *
 * {@snippet :
 * Codec<Integer> ints = new Codec<>() {
 *     public byte[] encode(Integer v) { return java.nio.ByteBuffer.allocate(4).putInt(v).array(); }
 *     public Integer decode(byte[] b) { return java.nio.ByteBuffer.wrap(b).getInt(); }
 * };
 * channel.sendBlocking(42, ints);
 * }
 *
 * @param <T> the type of the values
 */
public interface Codec<T> {
    /** The bytes of one frame holding {@code value}. */
    byte[] encode(T value);

    /** The value a frame holds; the array belongs to the codec. */
    T decode(byte[] frame);

    /** Strings as UTF-8 (malformed input is replaced, never an exception). */
    static Codec<String> utf8() {
        return Codecs.Utf8.INSTANCE;
    }

    /** The frame's bytes as they are (no copy). */
    static Codec<byte[]> bytes() {
        return Codecs.Bytes.INSTANCE;
    }
}
