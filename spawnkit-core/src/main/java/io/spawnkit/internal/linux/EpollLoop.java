package io.spawnkit.internal.linux;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static java.lang.foreign.ValueLayout.JAVA_LONG_UNALIGNED;

import io.spawnkit.internal.Log;
import io.spawnkit.internal.LoopWork;
import io.spawnkit.internal.Timers;
import java.lang.foreign.Arena;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.nio.ByteBuffer;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.concurrent.locks.LockSupport;

/**
 * The event loop: one daemon thread on epoll (level-triggered) watching pidfds (readable = the
 * child ended), the parent ends of pipes, an eventfd for wake-ups, and timers. Handlers run on this
 * thread, and only this thread removes descriptors from the epoll set and closes registered ones;
 * other threads may add a descriptor ({@link #register}) and hand work over with
 * {@link #execute(Runnable)}.
 *
 * <p>A descriptor is registered under its own number, which is its epoll data: it cannot be reused
 * while registered, because only this thread closes registered descriptors, after removing them.
 */
final class EpollLoop implements Timers, Executor {
    /** Reacts to readiness of one descriptor. */
    interface Handler {
        void onEvents(int events);

        /** Urgent handlers (process exits) run before the others of the same round. */
        default boolean urgent() {
            return false;
        }
    }

    /**
     * {@code struct epoll_event}: packed (12 bytes) on x86_64, naturally aligned (16) elsewhere, as
     * {@code __EPOLL_PACKED} in glibc's sys/epoll.h says.
     */
    static final StructLayout EPOLL_EVENT = isX86()
            ? MemoryLayout.structLayout(JAVA_INT.withName("events"), JAVA_LONG_UNALIGNED.withName("data"))
            : MemoryLayout.structLayout(JAVA_INT.withName("events"), MemoryLayout.paddingLayout(4),
                    JAVA_LONG.withName("data"));
    private static final long EVENTS_OFFSET = EPOLL_EVENT.byteOffset(MemoryLayout.PathElement.groupElement("events"));
    private static final long DATA_OFFSET = EPOLL_EVENT.byteOffset(MemoryLayout.PathElement.groupElement("data"));
    private static final int MAX_EVENTS = 256;
    /** One read buffer for every pipe: a chunk is handed to its consumer before the next read. */
    static final int READ_BUFFER = 64 * 1024;

    private final int epfd;
    private final int wakeFd;
    private final Thread thread;
    /** Tasks from other threads and timers: see {@link LoopWork}. */
    private final LoopWork work = new LoopWork("event loop");
    private final AtomicBoolean wakePending = new AtomicBoolean();
    private final MemorySegment events;
    private final MemorySegment ctlEvent;
    private final MemorySegment wakeValue;
    private final MemorySegment drain;
    final MemorySegment readBuffer;
    /** {@link #readBuffer} as a ByteBuffer, for handing chunks to sinks without a copy. */
    final ByteBuffer readView;
    /** Handlers by descriptor: changed (and grown) under {@code this}, read by the loop without a lock. */
    private volatile AtomicReferenceArray<Handler> handlers = new AtomicReferenceArray<>(256);
    /** Set by the shutdown hook: see {@link #jvmExiting()}. */
    private volatile boolean exiting;

    private static boolean isX86() {
        String arch = System.getProperty("os.arch", "");
        return arch.equals("amd64") || arch.equals("x86_64");
    }

    EpollLoop() {
        Arena arena = Arena.global();
        events = arena.allocate(EPOLL_EVENT, MAX_EVENTS);
        ctlEvent = arena.allocate(EPOLL_EVENT);
        wakeValue = arena.allocate(JAVA_LONG);
        wakeValue.set(JAVA_LONG, 0, 1L);
        drain = arena.allocate(JAVA_LONG);
        readBuffer = arena.allocate(READ_BUFFER, 64);
        readView = readBuffer.asByteBuffer();
        epfd = check(LibC.aboveStdio(LibC.epoll_create1(LibC.EPOLL_CLOEXEC)), "epoll_create1");
        wakeFd = check(LibC.aboveStdio(LibC.eventfd(0, LibC.EFD_CLOEXEC | LibC.EFD_NONBLOCK)), "eventfd");
        ctl(LibC.EPOLL_CTL_ADD, wakeFd, LibC.EPOLLIN);
        thread = new Thread(this::run, "spawnkit-loop");
        thread.setDaemon(true);
        thread.start();
        try {
            Runtime.getRuntime().addShutdownHook(new Thread(this::jvmExiting, "spawnkit-loop-exit"));
        } catch (IllegalStateException shutdownInProgress) {
            jvmExiting(); // the first spawn came from a shutdown hook
        }
    }

    /**
     * The JVM is exiting. HotSpot's exit waits up to 300 ms for every thread that is in native
     * code to come back (VM_Exit::wait_for_threads_in_native_to_block), and a loop blocked in
     * epoll_wait is in native code the whole time: every program that had spawned a child took
     * 300 ms longer to exit (strace of {@code spawnkit run}: the VM thread sleeping 30 x 10 ms
     * after the last line). From now on the loop polls epoll without blocking and waits in Java
     * between rounds, so it is seen as blocked at once; it keeps serving other shutdown hooks (one
     * that stops children and waits for their exits), at most 1 ms late.
     */
    private void jvmExiting() {
        exiting = true;
        wake();
    }

    /** Makes the loop leave epoll_wait, once per round however many threads ask. */
    private void wake() {
        if (wakePending.compareAndSet(false, true)) {
            LibC.write(wakeFd, wakeValue, 8);
        }
    }

    private static int check(int r, String call) {
        if (r < 0) {
            throw new IllegalStateException("spawnkit event loop: " + call + ": " + LibC.errnoName(-r)
                    + " (" + LibC.strerror(-r) + ")");
        }
        return r;
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

    /**
     * Watches {@code fd} for {@code interest} (EPOLLIN/EPOLLOUT). Any thread may register (a pidfd
     * is registered by the spawning thread, so that an exit right after the spawn is seen at once);
     * the handler then runs on the loop thread.
     */
    void register(int fd, int interest, Handler handler) {
        synchronized (this) { // every change of the table under this lock; the loop reads it without
            AtomicReferenceArray<Handler> table = handlers;
            if (fd >= table.length()) {
                AtomicReferenceArray<Handler> bigger = new AtomicReferenceArray<>(Math.max(fd + 1, table.length() * 2));
                for (int i = 0; i < table.length(); i++) {
                    bigger.set(i, table.get(i));
                }
                handlers = table = bigger;
            }
            table.set(fd, handler);
        }
        ctl(LibC.EPOLL_CTL_ADD, fd, interest);
    }

    /** Loop thread only: stop watching {@code fd}; it may be closed afterwards. */
    void unregister(int fd) {
        synchronized (this) {
            AtomicReferenceArray<Handler> table = handlers;
            if (fd >= table.length() || table.get(fd) == null) {
                return;
            }
            table.set(fd, null);
        }
        ctl(LibC.EPOLL_CTL_DEL, fd, 0);
    }

    private void ctl(int op, int fd, int interest) {
        if (inLoop()) {
            ctl(op, fd, interest, ctlEvent);
        } else {
            try (Arena arena = Arena.ofConfined()) {
                ctl(op, fd, interest, arena.allocate(EPOLL_EVENT));
            }
        }
    }

    private void ctl(int op, int fd, int interest, MemorySegment event) {
        event.set(JAVA_INT, EVENTS_OFFSET, interest);
        event.set(JAVA_LONG_UNALIGNED, DATA_OFFSET, fd);
        int r = LibC.epoll_ctl(epfd, op, fd, event);
        if (r < 0) {
            throw new IllegalStateException("epoll_ctl(" + op + ", fd " + fd + "): " + LibC.errnoName(-r));
        }
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
                Log.error("spawnkit: event loop error", t);
            }
        }
    }

    /**
     * One round: due timers, one epoll_wait, its events, the queued tasks. A method of its own, not
     * the body of {@link #run()}'s loop: HotSpot compiles a method after some hundreds of calls,
     * but a loop that never returns only through on-stack replacement, after tens of thousands of
     * back edges. As the loop body, a round ran interpreted for the first several thousand child
     * exits (JIT log: the first OSR compilation of run() 4 s into a latency run), and every exit
     * notification paid for it.
     */
    private void runOnce() {
        int timeout = timeoutMillis(work.runTimers());
        boolean parkAfter = exiting;
        int n = LibC.epoll_wait(epfd, events, MAX_EVENTS, !work.hasTasks() && !parkAfter ? timeout : 0);
        if (n < 0) {
            if (n != -Errno.EINTR) {
                Log.error("spawnkit: epoll_wait: " + LibC.errnoName(-n));
            }
            return;
        }
        // Two passes: exits first. A child that wrote its last line and exited makes its pipe
        // ready before its pidfd; reading and handing over that output first would delay the exit
        // notification by the time its consumers take.
        for (int pass = 0; pass < 2; pass++) {
            for (int i = 0; i < n; i++) {
                long at = i * EPOLL_EVENT.byteSize();
                int fd = (int) events.get(JAVA_LONG_UNALIGNED, at + DATA_OFFSET);
                if (fd == wakeFd) {
                    if (pass == 1) {
                        // After the exits. Drain first, then re-arm: the other order loses a wake-up
                        // written between the two (the read swallows it while wakePending stays
                        // true for good). Tasks queued before the re-arm run below.
                        LibC.read(wakeFd, drain, 8);
                        wakePending.set(false);
                    }
                    continue;
                }
                AtomicReferenceArray<Handler> table = handlers;
                Handler h = fd < table.length() ? table.get(fd) : null;
                if (h != null && h.urgent() == (pass == 0)) {
                    dispatch(h, events.get(JAVA_INT, at + EVENTS_OFFSET));
                }
            }
        }
        work.runTasks();
        if (parkAfter && n == 0 && !work.hasTasks()) {
            LockSupport.parkNanos(1_000_000L);
        }
    }

    private void dispatch(Handler h, int mask) {
        try {
            h.onEvents(mask);
        } catch (Throwable t) {
            Log.error("spawnkit: a handler on the event loop threw", t);
        }
    }

    /** The epoll timeout for {@link LoopWork#runTimers()}'s answer: whole ms rounded up, or -1 (none). */
    private static int timeoutMillis(long nanos) {
        return nanos < 0 ? -1 : (int) Math.min(Integer.MAX_VALUE, (nanos + 999_999) / 1_000_000);
    }
}
