package io.spawnkit.worker;

import java.io.IOException;
import java.util.Objects;

/**
 * The channel has ended: no more messages will come (or, for a send, the bytes could not be
 * written). {@link #reason()} says why; only {@link Reason#PEER_CLOSED} and {@link Reason#CLOSED}
 * are a clean end.
 */
public final class ChannelClosedException extends IOException {
    private static final long serialVersionUID = 1L;

    /** Why a channel ended. */
    public enum Reason {
        /** The peer closed its end on a frame boundary (it closed the channel, exited or died). */
        PEER_CLOSED,
        /** We closed the channel ourselves ({@link Channel#close()}). */
        CLOSED,
        /** The peer's stream ended in the middle of a frame (it died while writing one). */
        TRUNCATED,
        /** The peer announced a frame over the channel's maximum size; reading stopped there. */
        FRAME_TOO_LARGE,
        /** Reading or writing failed (the peer closed its reading end: {@code EPIPE}, ...). */
        IO_ERROR
    }

    private final Reason reason;

    ChannelClosedException(Reason reason, String message, Throwable cause) {
        super(message, cause);
        this.reason = Objects.requireNonNull(reason);
    }

    /** Why the channel ended. */
    public Reason reason() {
        return reason;
    }

    /** True when the channel ended cleanly ({@link Reason#PEER_CLOSED} or {@link Reason#CLOSED}). */
    public boolean isClean() {
        return reason == Reason.PEER_CLOSED || reason == Reason.CLOSED;
    }

    /** A copy thrown in the caller's thread, with this one (the reader's) as its cause. */
    ChannelClosedException rethrown() {
        return new ChannelClosedException(reason, getMessage(), this);
    }
}
