package io.spawnkit;

import java.nio.file.Path;
import java.util.List;
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
        SoftAssertions soft = new SoftAssertions();
        ClosedParentStdioTest.everySubset(tmp, when, "inherit,fedInherit").forEach((subset, r) -> {
            String where = when + ", closed " + subset + ": " + r;
            soft.assertThat(r.get("inherit.status")).as(where).isEqualTo("running");
            soft.assertThat(r.get("fedInherit.status")).as(where).isEqualTo("running");
            soft.assertThat(r.get("fedInherit.0")).as(where).startsWith("pipe:");
            for (int fd = 0; fd <= 2; fd++) {
                boolean closed = List.of(subset.split(",")).contains(Integer.toString(fd));
                // inherited: the parent's own file, or for a closed one "closed" or /dev/null; the
                // fed child's stdin is its pipe, so only its 1 and 2 are inherited
                for (String child : fd == 0 ? List.of("inherit") : List.of("inherit", "fedInherit")) {
                    if (closed) {
                        soft.assertThat(r.get(child + "." + fd)).as(where).isIn(SANE_FOR_A_CLOSED_FD);
                    } else {
                        soft.assertThat(r.get(child + "." + fd)).as(where).isEqualTo(r.get("stdio." + fd));
                    }
                }
            }
        });
        soft.assertAll();
    }
}
