package io.spawnkit;

import static org.assertj.core.api.Assertions.assertThat;

import io.spawnkit.testhelper.SigchldDriver;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

/**
 * Hazard 15: other code in the JVM changed SIGCHLD -- a handler of its own (installed without
 * SA_RESTART, so blocking calls see EINTR), or SIG_IGN, with which the kernel reaps every child
 * itself and waitpid fails with ECHILD: the status is gone. Each case runs in a driver JVM
 * ({@link SigchldDriver}) that changes the disposition after a first spawn (the JDK resets SIGCHLD
 * to SIG_DFL once, when it initialises java.lang.ProcessImpl, which spawnkit's first reading of
 * the environment brings about), then waits for children exiting 0, 3 and killed by SIGTERM, once
 * through {@link ChildProcess#waitFor()} and once through {@link ChildProcess#onExit()}.
 */
@EnabledOnOs(OS.LINUX)
@Tag("portable")
class SigchldDispositionTest {
    private static final Map<String, String> EXPECTED = Map.of(
            "exit0", "exited with code 0",
            "exit3", "exited with code 3",
            "sigterm", "killed by SIGTERM(15)");

    @TempDir
    Path tmp;

    @Test
    void aForeignSigchldHandlerLeavesEveryStatusRight() throws Exception {
        Map<String, String> r = runDriver("handler");
        assertThat(r.get("before")).as("the handler is in place: %s", r).isEqualTo("caught");
        SoftAssertions soft = new SoftAssertions();
        EXPECTED.forEach((child, status) -> {
            soft.assertThat(r.get(child + ".waitFor")).as("%s: %s", child, r).isEqualTo(status);
            soft.assertThat(r.get(child + ".onExit")).as("%s: %s", child, r).isEqualTo(status);
        });
        soft.assertAll();
    }

    /**
     * With SIGCHLD ignored the kernel discards the status. What must not happen: a wrong status
     * (a code the child never exited with) or a wait that never ends. The Linux backend reports the
     * loss: onExit fails and waitFor throws an IllegalStateException naming ECHILD and SIGCHLD.
     * (Were the status recovered, e.g. through the pidfd, the right status passes too.)
     */
    @Test
    void withSigchldIgnoredEachStatusIsRightOrAnErrorNamingSigchldNeverAWrongCodeNorAHang() throws Exception {
        // The JDK turns waitpid's ECHILD into exit value 0: the ProcessBuilder fallback checks
        // SIGCHLD's disposition when a child "exits 0" and reports the loss instead.
        Map<String, String> r = runDriver("ignore");
        assertThat(r.get("before")).as("SIGCHLD is ignored: %s", r).isEqualTo("ignored");
        SoftAssertions soft = new SoftAssertions();
        EXPECTED.forEach((child, status) -> {
            for (String how : new String[] {".waitFor", ".onExit"}) {
                String got = r.get(child + how);
                soft.assertThat(got).as("%s%s: %s", child, how, r).isNotEqualTo("hang");
                if (!got.equals(status)) {
                    soft.assertThat(got).as("%s%s: right, or an error naming the cause", child, how)
                            .startsWith("error: IllegalStateException").contains("ECHILD").contains("SIGCHLD");
                }
            }
        });
        soft.assertAll();
    }

    private Map<String, String> runDriver(String mode) throws Exception {
        Path report = tmp.resolve("report-" + mode);
        Output out = Command.of(DriverJvm.argv(SigchldDriver.class, report.toString(), mode))
                .timeout(Duration.ofMinutes(3)).output();
        assertThat(out.status().isSuccess()).as("driver: %s %s", out.status(), out.stderrText()).isTrue();
        Map<String, String> r = ClosedParentStdioTest.read(report);
        assertThat(r.get("backend")).as(r.toString()).isEqualTo(DriverJvm.backend());
        assertThat(r.get("sigaction")).as(r.toString()).isEqualTo("0");
        return r;
    }
}
