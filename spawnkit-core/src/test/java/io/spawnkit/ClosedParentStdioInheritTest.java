package io.spawnkit;

import io.spawnkit.testhelper.ClosedStdioDriver;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

/**
 * Hazard 11, the part about inherited stdio. With this
 * JVM's descriptor 1 or 2 closed, "inherit" must give the child that descriptor closed (or
 * /dev/null) -- never a descriptor spawnkit opened meanwhile: its epoll or eventfd, or the ends of
 * the very pipe that feeds the child's stdin (the child then holds the write end of its own stdin
 * and never sees EOF: a hang until the timeout kills it). The Linux backend moves every descriptor
 * it makes off 0..2 (LibC.aboveStdio). Not portable: the JDK's own spawning leaves a pipe of its
 * own on a closed 1 or 2 (a JDK limitation, documented in the README).
 */
@EnabledOnOs(OS.LINUX)
class ClosedParentStdioInheritTest {
    private static final List<String> SUBSETS = List.of("0", "1", "2", "0,1", "0,2", "1,2", "0,1,2");
    private static final Set<String> SANE_FOR_A_CLOSED_FD = Set.of("closed", "/dev/null");

    @TempDir
    Path tmp;

    @Test
    void inheritedStdioOfAClosedParentDescriptorIsClosedOrNullBeforeTheFirstSpawn() throws Exception {
        check("early");
    }

    @Test
    void inheritedStdioOfAClosedParentDescriptorIsClosedOrNullAfterAFirstSpawn() throws Exception {
        check("late");
    }

    private void check(String when) throws Exception {
        Path in = Files.writeString(tmp.resolve("in"), "parent stdin\n");
        List<ChildProcess> drivers = new ArrayList<>();
        List<Path> reports = new ArrayList<>();
        try {
            for (String subset : SUBSETS) {
                Path report = tmp.resolve(when + "-" + subset.replace(',', '_'));
                reports.add(report);
                String redirections = "<'" + in + "' >'" + report + ".out' 2>'" + report + ".err'";
                drivers.add(DriverJvm.throughShell("", redirections,
                        DriverJvm.argv(ClosedStdioDriver.class, report.toString(), when, subset, "inherit,fedInherit"))
                        .timeout(Duration.ofMinutes(2)).spawn());
            }
            SoftAssertions soft = new SoftAssertions();
            for (int i = 0; i < SUBSETS.size(); i++) {
                drivers.get(i).waitFor();
                String subset = SUBSETS.get(i);
                Path report = reports.get(i);
                Map<String, String> r = ClosedParentStdioTest.read(report);
                String where = when + ", closed " + subset + ": " + r;
                List<String> own = List.of(in.toString(), report + ".out", report + ".err");
                soft.assertThat(r.get("inherit.status")).as(where).isEqualTo("running");
                soft.assertThat(r.get("fedInherit.status")).as(where).isEqualTo("running");
                soft.assertThat(r.get("fedInherit.0")).as(where).startsWith("pipe:");
                for (int fd = 0; fd <= 2; fd++) {
                    boolean closed = List.of(subset.split(",")).contains(Integer.toString(fd));
                    if (closed) {
                        soft.assertThat(r.get("inherit." + fd)).as(where).isIn(SANE_FOR_A_CLOSED_FD);
                        if (fd > 0) {
                            soft.assertThat(r.get("fedInherit." + fd)).as(where).isIn(SANE_FOR_A_CLOSED_FD);
                        }
                    } else {
                        soft.assertThat(r.get("inherit." + fd)).as(where).isEqualTo(own.get(fd));
                        if (fd > 0) {
                            soft.assertThat(r.get("fedInherit." + fd)).as(where).isEqualTo(own.get(fd));
                        }
                    }
                }
            }
            soft.assertAll();
        } finally {
            drivers.forEach(ChildProcess::kill);
        }
    }
}
