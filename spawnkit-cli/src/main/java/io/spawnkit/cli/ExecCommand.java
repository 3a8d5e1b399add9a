package io.spawnkit.cli;

import io.spawnkit.ChildProcess;
import io.spawnkit.Command;
import io.spawnkit.ExitStatus;
import io.spawnkit.Signal;
import io.spawnkit.SpawnException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;

/**
 * {@code spawnkit exec [--timeout D] [--kill-after D] -- CMD ARGS...}: runs one command through the
 * library with this terminal's stdin, stdout and stderr, and exits with its code (128 + N after a
 * death by signal N, as a shell reports it).
 */
@CommandLine.Command(name = "exec", mixinStandardHelpOptions = true, version = Main.VERSION,
        description = "Run one command through spawnkit and pass its exit code through (128+N for a death by signal N).")
final class ExecCommand implements Callable<Integer> {
    @CommandLine.Option(names = "--timeout", paramLabel = "DURATION",
            description = "Send SIGTERM after this long (e.g. 10s, 500ms, 2m, PT1M).", converter = DurationConverter.class)
    Duration timeout;

    @CommandLine.Option(names = "--kill-after", paramLabel = "DURATION", defaultValue = "10s",
            description = "After the timeout's SIGTERM, send SIGKILL if it is still running after this long (default ${DEFAULT-VALUE}).",
            converter = DurationConverter.class)
    Duration killAfter;

    @CommandLine.Parameters(arity = "1..*", paramLabel = "CMD", description = "The program and its arguments.")
    List<String> command;

    @Override
    public Integer call() throws Exception {
        ChildProcess child;
        try {
            child = Command.of(command).newProcessGroup().spawn();
        } catch (SpawnException e) {
            System.err.println("spawnkit: " + e.getMessage());
            return "ENOENT".equals(e.errnoName()) ? 127 : 126;
        }
        Thread forward = new Thread(() -> child.terminate(Signal.TERM, killAfter));
        Runtime.getRuntime().addShutdownHook(forward);
        ExitStatus status;
        if (timeout != null) {
            status = child.waitFor(timeout).orElse(null);
            if (status == null) {
                System.err.println("spawnkit: timed out after " + DurationConverter.format(timeout) + "; stopping " + child);
                status = child.terminate(killAfter).get();
            }
        } else {
            status = child.waitFor();
        }
        try {
            Runtime.getRuntime().removeShutdownHook(forward);
        } catch (IllegalStateException shuttingDown) {
            // the hook is already running
        }
        return status.shellCode();
    }
}
