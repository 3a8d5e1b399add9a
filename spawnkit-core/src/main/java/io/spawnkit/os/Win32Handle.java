package io.spawnkit.os;

import io.spawnkit.internal.windows.Kernel32;
import java.lang.ref.Cleaner;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A Windows {@code HANDLE} owned by Java: a process, a thread or a pipe end returned by
 * {@link Win32}. Closing is idempotent ({@link #close()}, or {@link Win32#CloseHandle}); a handle
 * that becomes unreachable while still open is closed by a {@link Cleaner}, so a forgotten handle
 * leaks nothing for long. Close explicitly all the same: the cleaner runs only after a garbage
 * collection.
 *
 * <p>The type exists on every platform so that code naming it compiles everywhere, but only
 * {@link Win32} creates handles, and only on Windows: elsewhere construction throws
 * {@link UnsupportedOperationException}.
 *
 * <p>Thread safety: closing from several threads closes the HANDLE once. Using {@link #raw()} while
 * another thread closes the handle is a race the caller must avoid, as in C (Windows may reuse the
 * value for a new handle).
 */
public final class Win32Handle implements AutoCloseable {
    /** The value a closed handle holds: NULL, never a valid handle. */
    private static final long CLOSED = 0L;

    private final Owner owner;
    private final Cleaner.Cleanable cleanable;

    /** The cleaner's thread starts on first use, so only on Windows. */
    private static final class Cleaners {
        static final Cleaner CLEANER = Cleaner.create();
    }

    /** The state the cleaner closes: it must not reach the Win32Handle itself. */
    private static final class Owner implements Runnable {
        final AtomicLong raw;

        Owner(long raw) {
            this.raw = new AtomicLong(raw);
        }

        @Override
        public void run() {
            long h = raw.getAndSet(CLOSED);
            if (h != CLOSED) {
                Kernel32.CloseHandle(h); // a forgotten handle: nobody to report a failure to
            }
        }
    }

    /**
     * Takes ownership of {@code raw}, a HANDLE that is neither NULL nor INVALID_HANDLE_VALUE.
     *
     * @throws UnsupportedOperationException outside Windows
     */
    Win32Handle(long raw) {
        Win32.requireWindows("Win32Handle");
        if (raw == CLOSED || raw == -1L) {
            throw new IllegalArgumentException("not a handle to own: " + raw);
        }
        this.owner = new Owner(raw);
        this.cleanable = Cleaners.CLEANER.register(this, owner);
    }

    /**
     * The HANDLE's value, for a native call; keep this object reachable until the call has returned
     * ({@link java.lang.ref.Reference#reachabilityFence}), or the cleaner may close it meanwhile.
     *
     * @throws IllegalStateException once closed
     */
    public long raw() {
        long h = owner.raw.get();
        if (h == CLOSED) {
            throw new IllegalStateException("the Win32 handle is closed");
        }
        return h;
    }

    /** True until closed. */
    public boolean isValid() {
        return owner.raw.get() != CLOSED;
    }

    /**
     * Closes the HANDLE; does nothing when already closed.
     *
     * @throws Win32Exception when CloseHandle fails (the value was not a handle of this process)
     */
    @Override
    public void close() {
        long h = owner.raw.getAndSet(CLOSED);
        if (h == CLOSED) {
            return;
        }
        cleanable.clean(); // unregisters; the owner sees CLOSED and does nothing
        if (Kernel32.CloseHandle(h) == 0) {
            throw new Win32Exception("CloseHandle", Kernel32.lastError());
        }
    }

    @Override
    public String toString() {
        long h = owner.raw.get();
        return h == CLOSED ? "Win32Handle[closed]" : "Win32Handle[0x" + Long.toHexString(h) + "]";
    }
}
