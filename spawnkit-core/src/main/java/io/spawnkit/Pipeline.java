package io.spawnkit;

import io.spawnkit.internal.Backend;
import io.spawnkit.internal.Backends;
import java.util.ArrayList;
import java.util.List;
import java.util.SortedMap;

/**
 * Children connected stdout to stdin by real OS pipes, as a shell's {@code a | b | c}: the bytes
 * go from child to child without passing through this JVM.
 *
 * <p>The first command's stdin and every command's stderr are as each command sets them (inherited
 * by default); the last command's stdout too, for {@link #spawn()}. A stdout or stdin that a
 * command set explicitly is overridden by the pipe.
 *
 * {@snippet :
 * Output out = Pipeline.of(Command.of("grep", "-r", "TODO", "."), Command.of("wc", "-l")).output();
 * }
 */
public final class Pipeline {
    private final List<Command> commands;

    private Pipeline(List<Command> commands) {
        if (commands.isEmpty()) {
            throw new IllegalArgumentException("a pipeline needs at least one command");
        }
        this.commands = List.copyOf(commands);
    }

    /** A pipeline of these commands, in order. */
    public static Pipeline of(Command... commands) {
        return new Pipeline(List.of(commands));
    }

    /** A pipeline of these commands, in order. */
    public static Pipeline of(List<Command> commands) {
        return new Pipeline(commands);
    }

    /**
     * Starts every child, first to last. If one fails to start, those already started are killed
     * and the {@link SpawnException} is thrown.
     */
    public List<ChildProcess> spawn() {
        return spawn(false);
    }

    private List<ChildProcess> spawn(boolean capture) {
        Backend backend = Backends.get();
        List<ChildProcess> children = new ArrayList<>();
        try {
            for (int i = 0; i < commands.size(); i++) {
                SortedMap<Integer, Stdio> layout = commands.get(i).layout();
                boolean last = i == commands.size() - 1;
                if (i > 0) {
                    layout.put(0, Stdio.from(children.get(i - 1).stdout()));
                } else if (capture) {
                    layout.putIfAbsent(0, Stdio.ignore());
                }
                if (!last) {
                    layout.put(1, Stdio.pipe());
                } else if (capture) {
                    layout.putIfAbsent(1, Stdio.pipe());
                    layout.putIfAbsent(2, Stdio.pipe());
                }
                children.add(commands.get(i).spawn(backend, layout));
            }
            return children;
        } catch (RuntimeException e) {
            for (ChildProcess c : children) {
                c.killTree();
                c.close();
            }
            throw e;
        }
    }

    /**
     * Runs the pipeline to its end and captures the last command's stdout and stderr. The status is
     * the last command's, as in a shell without {@code pipefail}; use {@link #spawn()} for each one.
     */
    public Output output() {
        List<ChildProcess> children = spawn(true);
        Command last = commands.get(commands.size() - 1);
        Output out = Command.collect(children.get(children.size() - 1), last.argv(), last.captureLimitValue(),
                last.timeoutValue());
        try {
            for (ChildProcess c : children) {
                c.waitFor();
            }
        } catch (InterruptedException e) {
            children.forEach(ChildProcess::killTree);
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for the pipeline", e);
        }
        return out;
    }
}
