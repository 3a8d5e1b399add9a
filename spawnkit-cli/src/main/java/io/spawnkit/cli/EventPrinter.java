package io.spawnkit.cli;

import io.spawnkit.supervisor.ExitPolicy;
import io.spawnkit.supervisor.HelperSpec;
import io.spawnkit.supervisor.Readiness;
import io.spawnkit.supervisor.SupervisorEvent;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * Prints the supervisor's events as {@code name | text} lines ({@link EventText}), and, foreman
 * style, one {@code system} line when a helper's end stops the others.
 *
 * <p>Left out: {@code ready} of a helper without a readiness check (it is ready when started, which
 * was just said), and everything with {@code --raw}.
 *
 * <p>An exit is shown with the helper's next event ({@code Stopped}, {@code Restarting}, ...), not at
 * once: the supervisor sees a process end before it has read the end of its pipes, and its last
 * lines (a final line without a newline, above all) would come after "exited with code 0". The
 * supervisor delivers every line before the next event. Called on the supervisor's thread only.
 */
final class EventPrinter implements Consumer<SupervisorEvent> {

    /** Where a line goes: the helper's name (or {@code system}) and the text. */
    interface Sink {
        void line(String name, String text);
    }

    private final Sink sink;
    private final boolean raw;
    private final ExitPolicy policy;
    private final boolean alone;
    private final Set<String> checked = new HashSet<>();
    /** helper -> the text of its exit, until its next event. */
    private final Map<String, String> heldExits = new HashMap<>();
    private final AtomicBoolean stopping = new AtomicBoolean();

    EventPrinter(List<HelperSpec> helpers, ExitPolicy policy, boolean raw, Sink sink) {
        this.sink = sink;
        this.raw = raw;
        this.policy = policy;
        this.alone = helpers.size() < 2;
        for (HelperSpec h : helpers) {
            if (!(h.readiness() instanceof Readiness.Started)) {
                checked.add(h.name());
            }
        }
    }

    /** From now on, an ending is no news: everything is being stopped anyway (Ctrl-C). */
    void stopping() {
        stopping.set(true);
    }

    @Override
    public void accept(SupervisorEvent event) {
        if (raw) {
            return;
        }
        if (event instanceof SupervisorEvent.Ready && !checked.contains(event.helper())) {
            return;
        }
        String held = heldExits.remove(event.helper());
        if (held != null) {
            sink.line(event.helper(), held);
        }
        String text = EventText.of(event);
        if (event instanceof SupervisorEvent.Exited) {
            heldExits.put(event.helper(), text);
            return;
        }
        if (text != null) {
            sink.line(event.helper(), text);
        }
        if (event instanceof SupervisorEvent.Stopped s && !alone && endsTheRun(s.helper())
                && stopping.compareAndSet(false, true)) {
            sink.line(LineFormatter.SYSTEM, s.helper() + " has ended: stopping all processes");
        }
    }

    private boolean endsTheRun(String helper) {
        return switch (policy.trigger()) {
            case ANY_ENDS -> true;
            case NAMED_ENDS -> policy.name().equals(helper);
            case KEEP_RUNNING -> false;
        };
    }
}
