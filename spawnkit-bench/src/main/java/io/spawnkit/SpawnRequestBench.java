package io.spawnkit;

import io.spawnkit.internal.Backend;
import io.spawnkit.internal.ByteSource;
import io.spawnkit.internal.ByteTarget;
import io.spawnkit.internal.NativeChild;
import io.spawnkit.internal.SpawnRequest;
import io.spawnkit.internal.Timers;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Building a spawn: {@code Command.of(...)} with env and stdio settings, validated and resolved into
 * the {@link SpawnRequest} a backend gets, and the {@link ChildProcess} wrapped around what it
 * returns; a backend that does nothing stands in for the OS. In package {@code io.spawnkit} (split
 * from the core jar on the class path) to reach {@code Command.spawn(Backend, layout)}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = "--enable-native-access=ALL-UNNAMED")
public class SpawnRequestBench {
    private static final CompletableFuture<ExitStatus> NEVER = new CompletableFuture<>();

    /** Stands in for the OS: keeps the request, returns a child with no pipes that never ends. */
    private final Backend nowhere = new Backend() {
        @Override
        public String name() {
            return "bench";
        }

        @Override
        public NativeChild spawn(SpawnRequest request) {
            return new NativeChild() {
                @Override
                public long pid() {
                    return request.argv().size();
                }

                @Override
                public CompletableFuture<ExitStatus> onExit() {
                    return NEVER;
                }

                @Override
                public boolean kill(Signal signal) {
                    return false;
                }

                @Override
                public boolean killGroup(Signal signal) {
                    return false;
                }

                @Override
                public ByteSource output(int fd) {
                    return null;
                }

                @Override
                public ByteTarget input(int fd) {
                    return null;
                }

                @Override
                public void close() {}
            };
        }

        @Override
        public Timers timers() {
            return (delay, task) -> () -> { };
        }
    };

    /** An absolute program: no PATH search. */
    @Benchmark
    public ChildProcess absoluteProgram() {
        Command cmd = Command.of("/usr/bin/env", "--", "x", "--flag", "value with spaces")
                .env("SPAWNKIT_BENCH", "1").envRemove("SPAWNKIT_UNSET")
                .stdin(Stdio.ignore()).stdout(Stdio.pipe()).stderr(Stdio.mergeWithStdout());
        return cmd.spawn(nowhere, cmd.layout());
    }

    /** A bare name looked up on the child's PATH (stat calls, as execvp would do). */
    @Benchmark
    public ChildProcess programOnPath() {
        Command cmd = Command.of("sh", "-c", "exit 0")
                .env("SPAWNKIT_BENCH", "1")
                .stdin(Stdio.ignore()).stdout(Stdio.pipe()).stderr(Stdio.pipe());
        return cmd.spawn(nowhere, cmd.layout());
    }

    /** A cleared environment of three variables and descriptors up to 9. */
    @Benchmark
    public ChildProcess smallEnvTenFds() {
        Command cmd = Command.of("/bin/true").envClear()
                .env("PATH", "/usr/bin:/bin").env("HOME", "/tmp").env("LANG", "C.UTF-8")
                .stdin(Stdio.ignore()).stdout(Stdio.pipe()).stderr(Stdio.sameAs(1));
        for (int fd = 3; fd < 10; fd++) {
            cmd.fd(fd, Stdio.pipe());
        }
        return cmd.spawn(nowhere, cmd.layout());
    }
}
