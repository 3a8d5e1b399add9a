package io.spawnkit.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import io.spawnkit.ChildProcess;
import io.spawnkit.Command;
import io.spawnkit.Stdio;
import java.io.FileInputStream;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

/** The census the soak judges by sees what it must: a descriptor opened, a child alive, the limits. */
@EnabledOnOs(value = OS.LINUX, disabledReason = "the census reads /proc")
class CensusTest {

    @Test
    void anOpenDescriptorCounts() throws Exception {
        int before = Census.openFds();
        try (FileInputStream in = new FileInputStream("/dev/null")) {
            assertThat(Census.openFds()).isEqualTo(before + 1);
        }
        assertThat(Census.openFds()).isEqualTo(before);
    }

    @Test
    void aLiveChildCountsAndIsNoZombie() throws Exception {
        ChildProcess child = Command.of("sleep", "60")
                .stdin(Stdio.ignore()).stdout(Stdio.ignore()).stderr(Stdio.ignore()).spawn();
        try {
            Census.Children c = Census.children();
            assertThat(c.all()).isGreaterThanOrEqualTo(1);
            assertThat(c.zombies()).isZero();
        } finally {
            child.kill();
            assertThat(child.waitFor(Duration.ofSeconds(30))).isPresent();
        }
    }

    @Test
    void limitsAndKernelNumbersAreReadWhole() {
        // /proc/sys/kernel/pid_max is at least 301 (the kernel's minimum) and never read as one digit
        assertThat(Census.readLong("/proc/sys/kernel/pid_max", -1)).isGreaterThanOrEqualTo(301);
        assertThat(Census.limit("Max open files").soft()).isNotZero();
        assertThat(Census.javaThreads()).isPositive();
        assertThat(Census.osThreads()).isGreaterThanOrEqualTo(Census.javaThreads());
    }
}
