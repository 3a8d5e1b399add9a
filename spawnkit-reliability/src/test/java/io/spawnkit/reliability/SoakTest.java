package io.spawnkit.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

/**
 * The soak during the build: {@code spawnkit.soak.seconds} seconds (60 when the environment
 * variable CI is {@code true}, else 15) of {@link Soak} in this JVM, which must end with
 * {@code 0 lost, 0 leaked}. Bursts aim for {@code spawnkit.soak.concurrency} children at once
 * (10,000 on CI, else 2,000), within the open-files limit. The soak ends and reaps every child it
 * started before it returns, also when it fails.
 */
@EnabledOnOs(value = OS.LINUX, disabledReason = "the census reads /proc")
class SoakTest {
    private static final boolean CI = "true".equals(System.getenv("CI"));

    @Test
    void soakEndsWithNothingLostAndNothingLeaked() throws InterruptedException {
        int seconds = Integer.getInteger("spawnkit.soak.seconds", CI ? 60 : 15);
        int concurrency = Integer.getInteger("spawnkit.soak.concurrency", CI ? 10_000 : 2_000);
        long seed = Long.getLong("spawnkit.soak.seed", System.nanoTime());
        Soak.Result result = Soak.run(new Soak.Options(seconds, 4, concurrency, seed), System.err);
        System.out.println(result.text());

        assertThat(result.ok()).as("the soak's figures:%n%s", result.text()).isTrue();
        assertThat(result.lines()).as("the soak's figures:%n%s", result.text()).last().isEqualTo("0 lost, 0 leaked");
    }
}
