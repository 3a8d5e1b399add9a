package io.spawnkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.assertj.core.api.Assumptions.assumeThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * A 3 MiB argument list: execve fails with E2BIG, which must come back as a SpawnException naming
 * the program and E2BIG, with no child, zombie or descriptor left behind, and the next spawn fine.
 *
 * <p>Linux (fs/exec.c) accepts argv + envp up to a quarter of RLIMIT_STACK, at most 6 MiB, and
 * each single string up to MAX_ARG_STRLEN (32 pages, 128 KiB). So 3 MiB of short arguments is too
 * long only while the stack limit is below 12 MiB (8 MiB by default); a single 3 MiB argument is
 * too long whatever the limit.
 */
@Tag("portable")
class ArgumentListTooLongTest {
    private static final int THREE_MIB = 3 << 20;

    @Test
    void threeMibOfArgumentsIsE2bigAndLeavesNothing() throws Exception {
        assumeThat(stackLimitBytes()).as("RLIMIT_STACK (argv may use a quarter of it)").isLessThan(12L << 20);
        List<String> argv = new ArrayList<>();
        argv.add("true");
        String chunk = "a".repeat(1023); // 1 KiB with its NUL
        for (int i = 0; i < THREE_MIB / 1024; i++) {
            argv.add(chunk);
        }
        assertE2bigWithoutLeaks(Command.of(argv));
    }

    @Test
    void oneArgumentOfThreeMibIsE2bigAndLeavesNothing() throws Exception {
        assertE2bigWithoutLeaks(Command.of("true", "b".repeat(THREE_MIB)));
    }

    @Test
    void threeMibOfEnvironmentIsE2bigAndLeavesNothing() throws Exception {
        assumeThat(stackLimitBytes()).as("RLIMIT_STACK (envp may use a quarter of it)").isLessThan(12L << 20);
        Command c = Command.of("true");
        String value = "e".repeat(1000);
        for (int i = 0; i < THREE_MIB / 1024; i++) {
            c.env("SPAWNKIT_BIG_" + i, value);
        }
        assertE2bigWithoutLeaks(c);
    }

    private static void assertE2bigWithoutLeaks(Command tooLong) throws Exception {
        Command.of("true").output(); // the backend's own descriptors exist from here on
        TreeSet<Integer> fdsBefore = Helper.openFds();
        Set<Long> childrenBefore = new HashSet<>(Helper.childPids());
        for (Command c : List.of(tooLong, tooLong.copy().stdin(Stdio.pipe()).stdout(Stdio.pipe()).stderr(Stdio.pipe()))) {
            SpawnException e = catchThrowableOfType(SpawnException.class, c::spawn);
            assertThat(e).as("spawn of a too long command").isNotNull();
            assertThat(e.errnoName()).isEqualTo("E2BIG");
            assertThat(e.errno()).isEqualTo(7);
            assertThat(e.program()).isEqualTo("true");
            assertThat(e.getMessage()).contains("E2BIG").contains("\"true\"");
            assertThat(e.getMessage().length()).as("the message does not quote megabytes of arguments").isLessThan(4096);
        }
        SpawnException fromOutput = catchThrowableOfType(SpawnException.class, tooLong::output);
        assertThat(fromOutput.errnoName()).isEqualTo("E2BIG");

        assertThat(Helper.eventually(Duration.ofSeconds(10), () -> fdsBefore.containsAll(Helper.openFds())))
                .as("descriptors now %s, before %s", Helper.openFds(), fdsBefore).isTrue();
        assertThat(Helper.eventually(Duration.ofSeconds(10), () -> childrenBefore.containsAll(Helper.childPids())))
                .as("children left: %s", Helper.childPids()).isTrue();
        assertThat(Helper.zombieChildren()).isEmpty();
        assertThat(Command.of("echo", "still", "fine").output().stdoutText()).isEqualTo("still fine\n");
    }

    /** The soft RLIMIT_STACK of this JVM, which a spawned child inherits, from /proc/self/limits. */
    private static long stackLimitBytes() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/limits"))) {
            if (line.startsWith("Max stack size")) {
                String soft = line.substring("Max stack size".length()).trim().split("\\s+")[0];
                return soft.equals("unlimited") ? Long.MAX_VALUE : Long.parseLong(soft);
            }
        }
        return Long.MAX_VALUE;
    }
}
