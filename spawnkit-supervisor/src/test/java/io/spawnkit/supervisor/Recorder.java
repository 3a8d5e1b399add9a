package io.spawnkit.supervisor;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * Events and lines of a supervisor in the one order they happened: both are delivered on the
 * supervisor's thread, so one list gives their true interleaving. Entries are the
 * {@link SupervisorEvent}s themselves and {@link Line}s.
 */
final class Recorder implements Consumer<SupervisorEvent>, LineListener {
    record Line(String helper, Stream stream, String text) {}

    private final List<Object> entries = new ArrayList<>();

    @Override
    public synchronized void accept(SupervisorEvent e) {
        entries.add(e);
        notifyAll();
    }

    @Override
    public synchronized void line(String helper, Stream stream, String line) {
        entries.add(new Line(helper, stream, line));
        notifyAll();
    }

    synchronized List<Object> all() {
        return List.copyOf(entries);
    }

    /** The events of {@code helper}, in order. */
    synchronized List<SupervisorEvent> events(String helper) {
        return entries.stream().filter(o -> o instanceof SupervisorEvent e && e.helper().equals(helper))
                .map(o -> (SupervisorEvent) o).toList();
    }

    /** The lines of {@code helper} on {@code stream}, in order. */
    synchronized List<String> lines(String helper, LineListener.Stream stream) {
        return entries.stream().filter(o -> o instanceof Line l && l.helper().equals(helper) && l.stream() == stream)
                .map(o -> ((Line) o).text()).toList();
    }

    /** The event classes of {@code helper}, in order, as simple names ("Started", "Exited", ...). */
    List<String> kinds(String helper) {
        return events(helper).stream().map(e -> e.getClass().getSimpleName()).toList();
    }

    /** Waits (at most a minute, as an upper bound only) for an entry matching {@code p}; returns it. */
    synchronized Object await(Predicate<Object> p) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofMinutes(1).toNanos();
        while (true) {
            for (Object o : entries) {
                if (p.test(o)) {
                    return o;
                }
            }
            long left = deadline - System.nanoTime();
            assertThat(left).as("waited a minute for an entry; have %s", entries).isPositive();
            wait(Math.max(1, left / 1_000_000));
        }
    }

    <T extends SupervisorEvent> T awaitEvent(String helper, Class<T> kind) throws InterruptedException {
        return kind.cast(await(o -> kind.isInstance(o) && ((SupervisorEvent) o).helper().equals(helper)));
    }

    Line awaitLine(String helper, String text) throws InterruptedException {
        return (Line) await(o -> o instanceof Line l && l.helper().equals(helper) && l.text().equals(text));
    }

    /** The index of the first entry matching {@code p}, or -1. */
    synchronized int indexOf(Predicate<Object> p) {
        for (int i = 0; i < entries.size(); i++) {
            if (p.test(entries.get(i))) {
                return i;
            }
        }
        return -1;
    }

    int indexOfEvent(String helper, Class<? extends SupervisorEvent> kind) {
        return indexOf(o -> kind.isInstance(o) && ((SupervisorEvent) o).helper().equals(helper));
    }

    int indexOfLine(String helper, String text) {
        return indexOf(o -> o instanceof Line l && l.helper().equals(helper) && l.text().equals(text));
    }
}
