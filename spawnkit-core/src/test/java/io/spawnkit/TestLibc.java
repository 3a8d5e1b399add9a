package io.spawnkit;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;

/**
 * The few libc calls the tests need to make this JVM hold what Java never makes: descriptors
 * without close-on-exec, a blocked or ignored signal. Linux x86-64/aarch64 glibc.
 */
final class TestLibc {
    private TestLibc() {}

    static final int O_RDONLY = 0;
    static final int O_WRONLY = 1;
    static final int O_RDWR = 2;
    static final int O_CREAT = 0100;
    static final int O_TRUNC = 01000;
    static final int O_APPEND = 02000;
    static final int SIG_BLOCK = 0;
    static final int SIG_SETMASK = 2;
    /** glibc's sigset_t is 1024 bits. */
    static final long SIGSET_BYTES = 128;

    private static final Linker LINKER = Linker.nativeLinker();
    private static final MethodHandle OPEN = handle("open",
            FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.JAVA_INT, ValueLayout.JAVA_INT),
            Linker.Option.firstVariadicArg(2));
    private static final MethodHandle CLOSE = handle("close",
            FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT));
    private static final MethodHandle DUP2 = handle("dup2",
            FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_INT));
    private static final MethodHandle SIGNAL = handle("signal",
            FunctionDescriptor.of(ValueLayout.ADDRESS, ValueLayout.JAVA_INT, ValueLayout.ADDRESS));
    private static final MethodHandle PTHREAD_SIGMASK = handle("pthread_sigmask",
            FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.ADDRESS));

    private static MethodHandle handle(String name, FunctionDescriptor fd, Linker.Option... options) {
        return LINKER.downcallHandle(LINKER.defaultLookup().find(name).orElseThrow(), fd, options);
    }

    /** open(2) without O_CLOEXEC: the descriptor would leak into every exec'd child. */
    static int open(String path, int flags, int mode) {
        try (Arena arena = Arena.ofConfined()) {
            int fd = (int) OPEN.invokeExact(arena.allocateFrom(path), flags, mode);
            if (fd < 0) {
                throw new IllegalStateException("open(" + path + ") failed");
            }
            return fd;
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    static void close(int fd) {
        try {
            int r = (int) CLOSE.invokeExact(fd);
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    /** dup2(2): the new descriptor has no close-on-exec. */
    static int dup2(int oldFd, int newFd) {
        try {
            int r = (int) DUP2.invokeExact(oldFd, newFd);
            if (r < 0) {
                throw new IllegalStateException("dup2(" + oldFd + ", " + newFd + ") failed");
            }
            return r;
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    /** Sets the disposition of {@code sig} to SIG_IGN (1) or SIG_DFL (0), returning the old one. */
    static MemorySegment signal(int sig, long handler) {
        try {
            return (MemorySegment) SIGNAL.invokeExact(sig, MemorySegment.ofAddress(handler));
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    /** Restores a disposition {@link #signal} returned. */
    static void restoreSignal(int sig, MemorySegment old) {
        try {
            MemorySegment ignored = (MemorySegment) SIGNAL.invokeExact(sig, old);
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    /** Blocks {@code sig} in the calling thread; returns the old mask to give to {@link #setMask}. */
    static byte[] blockInThisThread(int sig) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment set = arena.allocate(SIGSET_BYTES);
            MemorySegment old = arena.allocate(SIGSET_BYTES);
            int bit = sig - 1;
            set.set(ValueLayout.JAVA_BYTE, bit / 8, (byte) (1 << (bit % 8)));
            int r = (int) PTHREAD_SIGMASK.invokeExact(SIG_BLOCK, set, old);
            if (r != 0) {
                throw new IllegalStateException("pthread_sigmask: " + r);
            }
            return old.toArray(ValueLayout.JAVA_BYTE);
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    /** Sets the calling thread's signal mask. */
    static void setMask(byte[] mask) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment set = arena.allocateFrom(ValueLayout.JAVA_BYTE, mask);
            int r = (int) PTHREAD_SIGMASK.invokeExact(SIG_SETMASK, set, MemorySegment.NULL);
            if (r != 0) {
                throw new IllegalStateException("pthread_sigmask: " + r);
            }
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }
}
