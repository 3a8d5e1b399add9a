package io.spawnkit.internal.windows;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import io.spawnkit.internal.Log;
import io.spawnkit.internal.LoopWork;
import io.spawnkit.internal.Timers;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * The Windows event loop: one daemon thread ("spawnkit-iocp") on an I/O completion port. Three kinds
 * of packets arrive there, told apart by their completion key:
 * <ul>
 *   <li>{@link #KEY_WAKE}: another thread queued a task ({@link #execute});
 *   <li>{@link #KEY_EXIT}: a child ended. The thread pool's wait on its process handle
 *       (RegisterWaitForSingleObject) calls our upcall stub, which posts this packet with the
 *       child's small id where the OVERLAPPED pointer goes; the loop looks the id up. An id that is
 *       no longer known (the child was reaped by a direct waiter first) is ignored;
 *   <li>any other key: overlapped I/O on a pipe end associated with the port under that key;
 *       the handler gets the OVERLAPPED's address and the byte count.
 * </ul>
 * Handlers, tasks and timers run on this thread only.
 *
 * <p>Memory rule for overlapped I/O: the kernel writes the OVERLAPPED (and the buffer) until the
 * completion packet is queued, even after CancelIoEx or CloseHandle. So a pipe end frees its native
 * memory, and drops its key, only once the packet of its last operation has come back through this
 * loop; see {@link PipeReader} and {@link PipeWriter}.
 */
final class IocpLoop implements Timers, Executor {
    /** Reacts to the completion of one overlapped operation. */
    interface Completion {
        /** {@code overlapped}: the address of the operation's OVERLAPPED; {@code bytes}: transferred. */
        void onCompletion(long overlapped, int bytes);
    }

    static final long KEY_WAKE = 1;
    static final long KEY_EXIT = 2;
    private static final long FIRST_IO_KEY = 16;
    private static final int MAX_ENTRIES = 128;

    private final long port;
    private final Thread thread;
    /** Tasks from other threads and timers: see {@link LoopWork}. */
    private final LoopWork work = new LoopWork("IOCP loop");
    private final AtomicBoolean wakePending = new AtomicBoolean();
    private final ConcurrentHashMap<Long, Completion> handlers = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<Long, Runnable> exits = new ConcurrentHashMap<>();
    private final AtomicLong nextKey = new AtomicLong(FIRST_IO_KEY);
    private final AtomicLong nextExitId = new AtomicLong(1);
    private final MemorySegment entries;
    private final MemorySegment removed;
    private final long entrySize = Win32Structs.OVERLAPPED_ENTRY.byteSize();
    private final long keyOffset = Win32Structs.offset(Win32Structs.OVERLAPPED_ENTRY, "lpCompletionKey");
    private final long overlappedOffset = Win32Structs.offset(Win32Structs.OVERLAPPED_ENTRY, "lpOverlapped");
    private final long bytesOffset = Win32Structs.offset(Win32Structs.OVERLAPPED_ENTRY, "dwNumberOfBytesTransferred");
    /** The WAITORTIMERCALLBACK given to RegisterWaitForSingleObject: posts {@link #KEY_EXIT}. */
    final MemorySegment exitCallback;
    private volatile boolean exiting;

    IocpLoop() {
        port = Kernel32.CreateIoCompletionPort(Win32Constants.INVALID_HANDLE_VALUE, 0, 0, 1);
        if (port == 0) {
            throw new IllegalStateException("spawnkit IOCP loop: CreateIoCompletionPort: "
                    + Win32Errors.describe(Kernel32.lastError()));
        }
        Arena arena = Arena.global();
        entries = arena.allocate(Win32Structs.OVERLAPPED_ENTRY, MAX_ENTRIES);
        removed = arena.allocate(JAVA_INT);
        try {
            MethodHandle fired = MethodHandles.lookup().findVirtual(IocpLoop.class, "waitFired",
                    MethodType.methodType(void.class, MemorySegment.class, byte.class)).bindTo(this);
            exitCallback = Linker.nativeLinker().upcallStub(fired, FunctionDescriptor.ofVoid(ADDRESS, JAVA_BYTE), arena);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
        thread = new Thread(this::run, "spawnkit-iocp");
        thread.setDaemon(true);
        thread.start();
        try {
            Runtime.getRuntime().addShutdownHook(new Thread(this::jvmExiting, "spawnkit-iocp-exit"));
        } catch (IllegalStateException shutdownInProgress) {
            jvmExiting();
        }
    }

    /**
     * The upcall, on a thread-pool wait thread (WT_EXECUTEINWAITTHREAD): hand the exit to the loop
     * and return at once. An exception escaping an upcall would end the JVM, hence the catch-all.
     */
    @SuppressWarnings("unused")
    private void waitFired(MemorySegment context, byte timedOut) {
        try {
            if (Kernel32.PostQueuedCompletionStatus(port, 0, KEY_EXIT, context) == 0) {
                Log.error("spawnkit: PostQueuedCompletionStatus (child exit): " + Win32Errors.describe(Kernel32.lastError()));
            }
        } catch (Throwable t) {
            try {
                Log.error("spawnkit: the exit callback failed", t);
            } catch (Throwable ignored) {
                // nothing more can be done on a foreign thread
            }
        }
    }

    /** As in the Linux loop: HotSpot's exit waits for threads in native code; stop blocking in it. */
    private void jvmExiting() {
        exiting = true;
        wake();
    }

    private void wake() {
        if (wakePending.compareAndSet(false, true)) {
            if (Kernel32.PostQueuedCompletionStatus(port, 0, KEY_WAKE, MemorySegment.NULL) == 0) {
                wakePending.set(false);
                Log.error("spawnkit: PostQueuedCompletionStatus (wake-up): " + Win32Errors.describe(Kernel32.lastError()));
            }
        }
    }

    boolean inLoop() {
        return Thread.currentThread() == thread;
    }

    /** Runs {@code task} on the loop thread, after the current round if called from it. */
    @Override
    public void execute(Runnable task) {
        work.add(task);
        if (!inLoop()) {
            wake();
        }
    }

    /** A new completion key for {@code handler}; give it to {@link #associate}. */
    long register(Completion handler) {
        long key = nextKey.getAndIncrement();
        handlers.put(key, handler);
        return key;
    }

    /** Forgets {@code key}: only once no operation under it can still complete. */
    void unregister(long key) {
        handlers.remove(key);
    }

    /**
     * Associates {@code handle} (opened with FILE_FLAG_OVERLAPPED) with the port under {@code key};
     * returns 0, or the Win32 error. A handle can be associated once in its life.
     */
    int associate(long handle, long key) {
        if (Kernel32.CreateIoCompletionPort(handle, port, key, 0) == 0) {
            return Kernel32.lastError();
        }
        return 0;
    }

    /** An id for a child whose exit {@code onExit} handles on the loop; the exit callback's context. */
    long registerExit(Runnable onExit) {
        long id = nextExitId.getAndIncrement();
        exits.put(id, onExit);
        return id;
    }

    /** Forgets an exit id (reaped elsewhere, or the wait could not be registered). */
    void unregisterExit(long id) {
        exits.remove(id);
    }

    @Override
    public Timers.Timer schedule(long delayNanos, Runnable task) {
        return work.schedule(delayNanos, task, this);
    }

    private void run() {
        while (true) {
            try {
                runOnce();
            } catch (Throwable t) {
                Log.error("spawnkit: IOCP loop error", t);
            }
        }
    }

    /** One round (a method of its own for the JIT, as in the Linux loop): timers, one wait, its packets, tasks. */
    private void runOnce() {
        long next = work.runTimers();
        int timeout = next < 0 ? Win32Constants.INFINITE : waitMillis(next);
        boolean parkAfter = exiting;
        int wait = !work.hasTasks() && !parkAfter ? timeout : 0;
        int n;
        if (Kernel32.GetQueuedCompletionStatusEx(port, entries, MAX_ENTRIES, removed, wait, 0) != 0) {
            n = removed.get(JAVA_INT, 0);
        } else {
            int err = Kernel32.lastError();
            if (err != Win32Constants.WAIT_TIMEOUT) {
                Log.error("spawnkit: GetQueuedCompletionStatusEx: " + Win32Errors.describe(err));
            }
            n = 0;
        }
        // exits first, as on Linux: a child's last output and its exit often arrive together
        for (int pass = 0; pass < 2; pass++) {
            for (int i = 0; i < n; i++) {
                long at = i * entrySize;
                long key = entries.get(JAVA_LONG, at + keyOffset);
                long overlapped = entries.get(ADDRESS, at + overlappedOffset).address();
                if (pass == 0) {
                    if (key == KEY_EXIT) {
                        Runnable r = exits.remove(overlapped);
                        if (r != null) {
                            work.runSafely(r);
                        }
                    }
                    continue;
                }
                if (key == KEY_WAKE) {
                    wakePending.set(false);
                } else if (key != KEY_EXIT) {
                    Completion h = handlers.get(key);
                    if (h != null && overlapped != 0) { // 0: a packet of no operation of ours
                        int bytes = entries.get(JAVA_INT, at + bytesOffset);
                        try {
                            h.onCompletion(overlapped, bytes);
                        } catch (Throwable t) {
                            Log.error("spawnkit: a completion handler threw", t);
                        }
                    }
                }
            }
        }
        work.runTasks();
        if (parkAfter && n == 0 && !work.hasTasks()) {
            LockSupport.parkNanos(1_000_000L);
        }
    }

    /**
     * The wait for a timer due in {@code nanos} (> 0): rounded up to whole ms, at most 2^31-2 ms
     * (never INFINITE, which is 0xFFFFFFFF).
     * <pre>
     *   1 ns        1
     *   1 ms        1
     *   1.000001 ms 2
     *   huge        0x7FFFFFFE
     * </pre>
     */
    static int waitMillis(long nanos) {
        return (int) Math.min(Integer.MAX_VALUE - 1, (nanos + 999_999) / 1_000_000);
    }
}
