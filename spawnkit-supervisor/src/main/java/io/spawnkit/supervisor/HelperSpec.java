package io.spawnkit.supervisor;

import io.spawnkit.Command;
import io.spawnkit.Signal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * One named helper: its command and how it is supervised. Immutable; each {@code with...} returns
 * a copy.
 *
 * <p>Defaults: no restart, ready when started, no dependencies, stopped with {@code SIGTERM} to its
 * whole process group, 10 s of grace before {@code SIGKILL}, a partial line shown after 250 ms
 * without more output, lines logged on the SLF4J logger {@code spawnkit.helper.<name>}.
 *
 * <p>The supervisor takes over the command's stdout and stderr (pipes) and its process group (a
 * group of its own), on a copy made by {@link Supervisor.Builder#build()} (the command given is not
 * changed, and changes to it after {@code build()} are not seen); its program, arguments,
 * directory, environment and stdin are used as given. Hazard: a helper in a process group of its
 * own that reads an inherited terminal is stopped by {@code SIGTTIN}; give it
 * {@code stdin(Stdio.ignore())} unless it must read the terminal.
 *
 * <p>{@code idleFlush} {@link Duration#ZERO} shows a partial line as soon as a read leaves one, so
 * a line written in two pieces may show as two.
 *
 * @param name       unique among the supervisor's helpers: letters, digits, {@code . _ -}
 * @param command    what runs
 * @param restart    when it is started again
 * @param readiness  when it counts as ready
 * @param dependsOn  what must happen to other helpers before it starts
 * @param stopSignal the signal a stop sends to its process group
 * @param stopGrace  how long a stop waits before {@code SIGKILL}
 * @param idleFlush  how long a partial line (a prompt) waits for the rest before it is shown
 */
public record HelperSpec(String name, Command command, RestartPolicy restart, Readiness readiness,
        List<DependsOn> dependsOn, Signal stopSignal, Duration stopGrace, Duration idleFlush) {

    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9._-]+");

    public HelperSpec {
        Objects.requireNonNull(name, "name");
        if (!NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("helper name '" + name + "': use letters, digits, '.', '_' and '-'");
        }
        Objects.requireNonNull(command, "command");
        Objects.requireNonNull(restart, "restart");
        Objects.requireNonNull(readiness, "readiness");
        dependsOn = List.copyOf(dependsOn);
        Objects.requireNonNull(stopSignal, "stopSignal");
        if (stopGrace.isNegative() || idleFlush.isNegative()) {
            throw new IllegalArgumentException("stopGrace and idleFlush must not be negative");
        }
    }

    /** A helper with the defaults. */
    public static HelperSpec of(String name, Command command) {
        return new HelperSpec(name, command, RestartPolicy.no(), Readiness.started(), List.of(), Signal.TERM,
                Duration.ofSeconds(10), Duration.ofMillis(250));
    }

    public HelperSpec withRestart(RestartPolicy r) {
        return new HelperSpec(name, command, r, readiness, dependsOn, stopSignal, stopGrace, idleFlush);
    }

    public HelperSpec withReadiness(Readiness r) {
        return new HelperSpec(name, command, restart, r, dependsOn, stopSignal, stopGrace, idleFlush);
    }

    /** Adds a dependency. */
    public HelperSpec dependingOn(String helper, DependsOn.Condition condition) {
        List<DependsOn> d = new ArrayList<>(dependsOn);
        d.add(new DependsOn(helper, condition));
        return new HelperSpec(name, command, restart, readiness, d, stopSignal, stopGrace, idleFlush);
    }

    public HelperSpec withStop(Signal signal, Duration grace) {
        return new HelperSpec(name, command, restart, readiness, dependsOn, signal, grace, idleFlush);
    }

    public HelperSpec withIdleFlush(Duration idle) {
        return new HelperSpec(name, command, restart, readiness, dependsOn, stopSignal, stopGrace, idle);
    }
}
