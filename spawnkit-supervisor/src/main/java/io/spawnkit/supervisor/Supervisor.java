package io.spawnkit.supervisor;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * Runs named helpers side by side (API skeleton; the implementation is being written).
 *
 * {@snippet :
 * Supervisor s = Supervisor.builder()
 *         .helper(HelperSpec.of("web", Command.of("python3", "-m", "http.server", "8000"))
 *                 .withReadiness(Readiness.port(8000)))
 *         .helper(HelperSpec.of("assets", Command.of("npm", "run", "watch"))
 *                 .dependingOn("web", DependsOn.Condition.READY)
 *                 .withRestart(RestartPolicy.onFailure()))
 *         .exitPolicy(ExitPolicy.stopAllWhenAnyEnds())
 *         .build()
 *         .start();
 * int code = s.exitCode().join();
 * }
 */
public final class Supervisor implements AutoCloseable {

    /** Collects the helpers and policies; {@link #build()} checks them. */
    public static final class Builder {
        final List<HelperSpec> helpers = new ArrayList<>();
        ExitPolicy exitPolicy = ExitPolicy.keepRunning();
        final List<Consumer<SupervisorEvent>> listeners = new ArrayList<>();
        final List<LineListener> lineListeners = new ArrayList<>();
        boolean logLines = true;
        String loggerPrefix = "spawnkit.helper.";

        Builder() {}

        public Builder helper(HelperSpec spec) {
            helpers.add(Objects.requireNonNull(spec, "spec"));
            return this;
        }

        /** Default: {@link ExitPolicy#keepRunning()}. */
        public Builder exitPolicy(ExitPolicy policy) {
            exitPolicy = Objects.requireNonNull(policy, "policy");
            return this;
        }

        /** Receives every {@link SupervisorEvent}, in order per helper. */
        public Builder listener(Consumer<SupervisorEvent> listener) {
            listeners.add(Objects.requireNonNull(listener, "listener"));
            return this;
        }

        /** Receives every line, besides (or, with {@code logLines(false)}, instead of) SLF4J. */
        public Builder lineListener(LineListener listener) {
            lineListeners.add(Objects.requireNonNull(listener, "listener"));
            return this;
        }

        /** Whether lines go to SLF4J: stdout at INFO, stderr at WARN. Default: true. */
        public Builder logLines(boolean log) {
            logLines = log;
            return this;
        }

        /** The prefix of each helper's logger name. Default: {@code spawnkit.helper.}. */
        public Builder loggerPrefix(String prefix) {
            loggerPrefix = Objects.requireNonNull(prefix, "prefix");
            return this;
        }

        /**
         * Checks the description: unique names, known dependencies without cycles, a known helper
         * for {@link ExitPolicy.Trigger#NAMED_ENDS}. Nothing is started.
         *
         * @throws SupervisorConfigException naming what is wrong
         */
        public Supervisor build() {
            throw new UnsupportedOperationException("Supervisor is not implemented yet");
        }
    }

    private Supervisor() {}

    public static Builder builder() {
        return new Builder();
    }

    /** Starts the helpers in dependency order; returns at once. */
    public Supervisor start() {
        throw new UnsupportedOperationException("Supervisor is not implemented yet");
    }

    /** Completes with the exit code chosen by the {@link ExitPolicy} once every helper has stopped. */
    public CompletableFuture<Integer> exitCode() {
        throw new UnsupportedOperationException("Supervisor is not implemented yet");
    }

    /** Stops every helper in reverse dependency order (see {@link HelperSpec}); completes when all are stopped. */
    public CompletableFuture<Void> stop() {
        throw new UnsupportedOperationException("Supervisor is not implemented yet");
    }

    /** Sends every helper's stop signal to its group at once, then SIGKILL after its grace (Ctrl-C). */
    public CompletableFuture<Void> stopAllAtOnce() {
        throw new UnsupportedOperationException("Supervisor is not implemented yet");
    }

    /** SIGKILL to every helper's group now (a second Ctrl-C); completes when all are stopped. */
    public CompletableFuture<Void> kill() {
        throw new UnsupportedOperationException("Supervisor is not implemented yet");
    }

    /** The helpers' names, in the order given. */
    public List<String> helperNames() {
        throw new UnsupportedOperationException("Supervisor is not implemented yet");
    }

    /** The pid of the helper's current process, if one runs. */
    public Optional<Long> pid(String helper) {
        throw new UnsupportedOperationException("Supervisor is not implemented yet");
    }

    /** {@link #stop()} and wait for it. */
    @Override
    public void close() {
        stop().join();
    }
}
