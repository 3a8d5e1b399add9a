package io.spawnkit.reliability;

import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.util.concurrent.locks.LockSupport;

/**
 * The signal storm: a thread that signals this JVM every millisecond with signals the JVM
 * tolerates. SIGWINCH is ignored by default; SIGPIPE is caught by HotSpot (which ignores it) when
 * {@code /proc/self/status} says so, and a caught signal is the one that matters: it interrupts
 * whichever thread it lands on, so the event loop's epoll_wait returns EINTR now and then, and
 * every other call that is not restarted does too.
 *
 * <p>kill(2) is called directly (a downcall of its own): a {@code kill} child per signal would be
 * a thousand spawns a second, and a shell loop child would sleep far longer than a millisecond.
 */
final class Storm implements AutoCloseable {
    private static final int SIGPIPE = 13;
    private static final int SIGWINCH = 28;
    private static final MethodHandle KILL = Linker.nativeLinker().downcallHandle(
            Linker.nativeLinker().defaultLookup().find("kill").orElseThrow(),
            FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_INT));

    private final int[] signals;
    private final Thread thread;
    private volatile boolean stop;
    private volatile long sent;
    private volatile long refused;

    Storm() {
        boolean pipeCaught = (Census.caughtSignals() & (1L << (SIGPIPE - 1))) != 0;
        signals = pipeCaught ? new int[] {SIGWINCH, SIGPIPE} : new int[] {SIGWINCH};
        int pid = (int) ProcessHandle.current().pid();
        thread = new Thread(() -> run(pid), "soak-signal-storm");
        thread.setDaemon(true);
    }

    Storm start() {
        thread.start();
        return this;
    }

    /**
     * One signal per millisecond on average: parkNanos(1 ms) sleeps longer than that on a busy
     * machine, so the thread catches up on the signals due by the clock after each pause.
     */
    private void run(int pid) {
        long start = System.nanoTime();
        long n = 0;
        long bad = 0;
        while (!stop) {
            long due = (System.nanoTime() - start) / 1_000_000 + 1;
            while (n + bad < due && !stop) {
                int r;
                try {
                    r = (int) KILL.invokeExact(pid, signals[(int) ((n + bad) % signals.length)]);
                } catch (Throwable t) {
                    throw new AssertionError(t);
                }
                if (r == 0) {
                    sent = ++n;
                } else {
                    refused = ++bad;
                }
            }
            LockSupport.parkNanos(1_000_000);
        }
    }

    /** "SIGWINCH, SIGPIPE" */
    String signalNames() {
        StringBuilder sb = new StringBuilder();
        for (int s : signals) {
            sb.append(sb.isEmpty() ? "" : ", ").append(s == SIGPIPE ? "SIGPIPE" : "SIGWINCH");
        }
        return sb.toString();
    }

    long sent() {
        return sent;
    }

    long refused() {
        return refused;
    }

    @Override
    public void close() {
        stop = true;
        try {
            thread.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
