package io.spawnkit.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntConsumer;
import sun.misc.Signal;
import sun.misc.SignalHandler;

/**
 * Ctrl-C, {@code SIGTERM} and {@code SIGHUP} (the terminal went away) for {@code spawnkit run}: the
 * first asks for a graceful stop, any later one for an immediate kill, and the command then exits
 * with 128 + the first signal's number (130, 143, 129), as a shell reports a program killed by it.
 *
 * <p>The JVM's own handlers for these signals start the shutdown sequence, which would end the JVM
 * while the helpers are still stopping; {@code sun.misc.Signal} (module {@code jdk.unsupported})
 * replaces them for as long as this object is installed. The callbacks run on a thread the JVM
 * starts per signal, so they must only ask for the stop and return: the main thread waits for the
 * helpers and exits. A terminal's Ctrl-C reaches only us, not the helpers: each runs in a process
 * group of its own.
 *
 * <p>A signal this process was started with ignored (a script's {@code cmd &} ignores SIGINT,
 * {@code nohup} SIGHUP) stays ignored: HotSpot refuses to replace an ignored handler and
 * {@code Signal.handle} then leaves it as it is, which is what the parent asked for.
 */
final class Interrupts implements AutoCloseable {

    /** The signals handled. */
    private static final String[] SIGNALS = {"INT", "TERM", "HUP"};

    /** The number of the first signal received, 0 before. */
    private final AtomicInteger first = new AtomicInteger();
    private final List<Signal> installed = new ArrayList<>();
    private final List<SignalHandler> previous = new ArrayList<>();

    private Interrupts() {}

    /**
     * Installs the handlers.
     *
     * @param first called with the signal's number on the first signal
     * @param again called with the signal's number on every later one
     */
    static Interrupts install(IntConsumer first, IntConsumer again) {
        Interrupts in = new Interrupts();
        for (String name : SIGNALS) {
            Signal sig = new Signal(name);
            try {
                SignalHandler old = Signal.handle(sig, s -> in.received(s.getNumber(), first, again));
                in.installed.add(sig);
                in.previous.add(old);
            } catch (IllegalArgumentException e) {
                // the JVM uses it (-Xrs, or a debugger's agent): Ctrl-C then ends the JVM, and the
                // shutdown hook of RunCommand still kills the helpers
                System.err.println("spawnkit: cannot handle SIG" + name + " (" + e.getMessage() + ")");
            }
        }
        return in;
    }

    /** Delivers a signal as if it had arrived (tests). */
    void received(int number, IntConsumer onFirst, IntConsumer again) {
        if (first.compareAndSet(0, number)) {
            onFirst.accept(number);
        } else {
            again.accept(number);
        }
    }

    /** Whether a signal arrived. */
    boolean interrupted() {
        return first.get() != 0;
    }

    /** 128 + the first signal's number, or -1 when none arrived. */
    int exitCode() {
        int n = first.get();
        return n != 0 ? 128 + n : -1;
    }

    /** Gives the signals back to the JVM. */
    @Override
    public void close() {
        for (int i = 0; i < installed.size(); i++) {
            try {
                Signal.handle(installed.get(i), previous.get(i));
            } catch (IllegalArgumentException ignored) {
                // nothing to restore
            }
        }
        installed.clear();
        previous.clear();
    }
}
