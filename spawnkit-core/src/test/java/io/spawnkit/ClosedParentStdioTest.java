package io.spawnkit;

import static org.assertj.core.api.Assertions.assertThat;

import io.spawnkit.testhelper.ClosedStdioDriver;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

/**
 * Hazard: this JVM's own descriptors 0, 1 or 2 are closed when it spawns (CPython's
 * {@code test_close_fds_0_1_2} family, libuv's closed-stdio tests). The pipes, files and
 * {@code /dev/null} a spawn opens then get the lowest free numbers, 0..2, which are also the
 * child's targets: a plan that dup2s them in the wrong order, or closes "unused" low numbers,
 * loses the child's stdio. Each subset of {0, 1, 2} is closed in a driver JVM of its own
 * ({@link ClosedStdioDriver}), before spawnkit opens anything ("early": its /dev/null, epoll and
 * eventfd land there) and after a first spawn ("late": that spawn's pipes land there); the piped
 * and ignored stdio must still work exactly.
 */
@EnabledOnOs(OS.LINUX)
@Tag("portable")
class ClosedParentStdioTest {
    static final List<String> SUBSETS = List.of("0", "1", "2", "0,1", "0,2", "1,2", "0,1,2");
    private static final String SCENARIOS = "piped,outputOnly,ignored";

    @TempDir
    Path tmp;

    @Test
    void pipedAndIgnoredStdioWorkWithEverySubsetOfOurStdioClosedBeforeTheFirstSpawn() throws Exception {
        checkEverySubset("early");
    }

    @Test
    void pipedAndIgnoredStdioWorkWithEverySubsetOfOurStdioClosedAfterAFirstSpawn() throws Exception {
        checkEverySubset("late");
    }

    /**
     * A JVM started with its stdio closed ({@code <&- >&- 2>&-}) has filled the holes with files
     * of its own before {@code main} (the runtime image, /dev/null): spawning with pipes works.
     */
    @Test
    void aJvmStartedWithItsStdioClosedByTheShellSpawnsWithPipes() throws Exception {
        Path report = tmp.resolve("shell-closed");
        Output out = DriverJvm.throughShell("", "<&- >&- 2>&-",
                DriverJvm.argv(ClosedStdioDriver.class, report.toString(), "early", "-", "piped,outputOnly"))
                .timeout(Duration.ofMinutes(2)).output();
        assertThat(out.status().isSuccess()).as(out.stderrText()).isTrue();
        Map<String, String> r = read(report);
        assertThat(r.get("piped")).as(r.toString()).isEqualTo("exited with code 0|ping|err");
        assertThat(r.get("outputOnly")).as(r.toString()).isEqualTo("exited with code 0|o|e");
    }

    private void checkEverySubset(String when) throws Exception {
        SoftAssertions soft = new SoftAssertions();
        everySubset(tmp, when, SCENARIOS).forEach((subset, r) -> {
            for (String fd : subset.split(",")) {
                soft.assertThat(r.get("close." + fd)).as("%s: close(%s)", subset, fd).isEqualTo("0");
            }
            String where = when + ", closed " + subset + ": " + r;
            soft.assertThat(r.get("backend")).as(where).isEqualTo(DriverJvm.backend());
            soft.assertThat(r.get("piped")).as(where).isEqualTo("exited with code 0|ping|err");
            soft.assertThat(r.get("outputOnly")).as(where).isEqualTo("exited with code 0|o|e");
            soft.assertThat(r.get("ignored.status")).as(where).isEqualTo("exited with code 0");
            for (int fd = 0; fd <= 2; fd++) {
                soft.assertThat(r.get("ignored." + fd)).as(where).isEqualTo("/dev/null");
            }
        });
        soft.assertAll();
    }

    /**
     * Runs a {@link ClosedStdioDriver} for every subset of 0, 1, 2 at once, {@code when} ("early" or
     * "late") and with {@code scenarios}; its stdin is the file {@code tmp/in}, its stdout and stderr
     * the files REPORT.out and REPORT.err. Each driver must succeed; returns each subset's report
     * (with {@code stdio.N}: the driver's own stdio files), in the order of {@link #SUBSETS}.
     */
    static Map<String, Map<String, String>> everySubset(Path tmp, String when, String scenarios) throws Exception {
        Path in = Files.writeString(tmp.resolve("in"), "parent stdin\n");
        List<ChildProcess> drivers = new ArrayList<>();
        List<Path> reports = new ArrayList<>();
        try {
            for (String subset : SUBSETS) {
                Path report = tmp.resolve(when + "-" + subset.replace(',', '_'));
                reports.add(report);
                String redirections = "<'" + in + "' >'" + report + ".out' 2>'" + report + ".err'";
                drivers.add(DriverJvm.throughShell("", redirections,
                        DriverJvm.argv(ClosedStdioDriver.class, report.toString(), when, subset, scenarios))
                        .timeout(Duration.ofMinutes(2)).spawn());
            }
            Map<String, Map<String, String>> bySubset = new LinkedHashMap<>();
            for (int i = 0; i < SUBSETS.size(); i++) {
                ExitStatus status = drivers.get(i).waitFor();
                String subset = SUBSETS.get(i);
                Path report = reports.get(i);
                assertThat(status.isSuccess()).as("driver for %s: %s %s", subset, status,
                        Files.exists(Path.of(report + ".err")) ? Files.readString(Path.of(report + ".err")) : "").isTrue();
                Map<String, String> r = read(report);
                r.put("stdio.0", in.toString());
                r.put("stdio.1", report + ".out");
                r.put("stdio.2", report + ".err");
                bySubset.put(subset, r);
            }
            return bySubset;
        } finally {
            drivers.forEach(ChildProcess::kill);
        }
    }

    /** The driver's report: key=value lines, in order. */
    static Map<String, String> read(Path report) {
        Map<String, String> r = new LinkedHashMap<>();
        try {
            for (String line : Files.readAllLines(report)) {
                int eq = line.indexOf('=');
                r.put(line.substring(0, eq), line.substring(eq + 1));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("no report from the driver: " + report, e);
        }
        return r;
    }
}
