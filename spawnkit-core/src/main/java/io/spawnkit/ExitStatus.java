package io.spawnkit;

import java.util.Optional;
import java.util.OptionalInt;

/**
 * How a child ended: it {@linkplain Exited exited} with a code, or was {@linkplain Signaled killed by
 * a signal}. Never a sentinel: a death by {@code SIGKILL} is not reported as exit code 137.
 *
 * <p>On Windows every child exits with a 32-bit code (a process killed by TerminateProcess exits
 * with the code given to it).
 */
public sealed interface ExitStatus permits ExitStatus.Exited, ExitStatus.Signaled {

    /** True when the child exited with code 0. */
    boolean isSuccess();

    /** The exit code, empty when the child was killed by a signal. */
    OptionalInt exitCode();

    /** The signal that killed the child, empty when it exited. */
    Optional<Signal> terminatingSignal();

    /**
     * The shell's number for this status: the code, or 128 + the signal number, as {@code $?} and
     * {@link Process#exitValue()} report it.
     */
    default int shellCode() {
        return switch (this) {
            case Exited e -> e.code();
            case Signaled s -> 128 + s.signal().number();
        };
    }

    /** The child called {@code exit(code)} or returned {@code code} from main. */
    record Exited(int code) implements ExitStatus {
        @Override
        public boolean isSuccess() {
            return code == 0;
        }

        @Override
        public OptionalInt exitCode() {
            return OptionalInt.of(code);
        }

        @Override
        public Optional<Signal> terminatingSignal() {
            return Optional.empty();
        }

        @Override
        public String toString() {
            return "exited with code " + code;
        }
    }

    /** The child was killed by {@code signal}; {@code coreDumped} if it left a core dump. */
    record Signaled(Signal signal, boolean coreDumped) implements ExitStatus {
        public Signaled {
            java.util.Objects.requireNonNull(signal, "signal");
        }

        @Override
        public boolean isSuccess() {
            return false;
        }

        @Override
        public OptionalInt exitCode() {
            return OptionalInt.empty();
        }

        @Override
        public Optional<Signal> terminatingSignal() {
            return Optional.of(signal);
        }

        @Override
        public String toString() {
            return "killed by " + signal + (coreDumped ? " (core dumped)" : "");
        }
    }

    /** An exit with {@code code}. */
    static ExitStatus exited(int code) {
        return new Exited(code);
    }

    /** A death by {@code signal}. */
    static ExitStatus signaled(Signal signal, boolean coreDumped) {
        return new Signaled(signal, coreDumped);
    }

    /**
     * Decodes a raw POSIX wait status ({@code waitpid}'s {@code wstatus}) of a child that has ended.
     *
     * <pre>
     *   raw        meaning                       result
     *   0x0000     exit(0)                       Exited(0)
     *   0x2f00     exit(47)                      Exited(47)
     *   0x000f     SIGTERM                       Signaled(TERM, false)
     *   0x0086     SIGABRT + core                Signaled(ABRT, true)
     *   0x137f     stopped by SIGSTOP            IllegalArgumentException (not an ending)
     * </pre>
     */
    static ExitStatus ofWaitStatus(int raw) {
        int sig = raw & 0x7f;
        if (sig == 0) {
            return new Exited((raw >> 8) & 0xff);
        }
        if (sig != 0x7f && raw != 0xffff) {
            return new Signaled(Signal.of(sig), (raw & 0x80) != 0);
        }
        throw new IllegalArgumentException("wait status 0x" + Integer.toHexString(raw) + " is not an ending");
    }
}
