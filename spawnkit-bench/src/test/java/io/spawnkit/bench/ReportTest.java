package io.spawnkit.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.junit.jupiter.api.Test;

class ReportTest {
    private static final List<String> RAW = List.of(
            "RESULT spawn-wait c-posix_spawn us_per_op 300 us",
            "RESULT spawn-wait c-fork us_per_op 400 us",
            "RESULT spawn-wait spawnkit us_per_op 612.4 us",
            "RESULT spawn-wait spawnkit us_per_op 600 us",
            "RESULT spawn-wait spawnkit us_per_op 650 us",
            "RESULT spawn-wait c-posix_spawn us_per_op 320 us",
            "RESULT spawn-wait pb us_per_op 900 us",
            "RESULT spawn-wait spawnkit total_ms 1224.8 ms",
            "some noise from the script",
            "  RESULT throughput-1m c-read mb_per_s 2000 MiB/s",
            "RESULT throughput-1m c-splice mb_per_s 3000 MiB/s",
            "RESULT throughput-1m spawnkit mb_per_s 1500 MiB/s",
            "SKIP latency zt-exec no exit callback",
            "SKIP latency zt-exec no exit callback",
            "RESULT latency spawnkit p50_us not-a-number us");

    @Test
    void parsesResultsPerScenarioCompetitorAndMetricAndCountsSkips() {
        Report.Data d = Report.parse(RAW);
        assertThat(d.results).containsOnlyKeys("spawn-wait", "throughput-1m");
        assertThat(d.values("spawn-wait", "spawnkit", "us_per_op")).containsExactly(612.4, 600.0, 650.0);
        assertThat(d.values("spawn-wait", "c-posix_spawn", "us_per_op")).containsExactly(300.0, 320.0);
        assertThat(d.units).containsEntry("spawn-wait us_per_op", "us").containsEntry("throughput-1m mb_per_s", "MiB/s");
        assertThat(d.skips).containsExactly(java.util.Map.entry("latency|zt-exec|no exit callback", 2));
        assertThat(d.ignored).isEqualTo(2); // the noise and the unparsable value
    }

    @Test
    void medianOfOddAndEvenCounts() {
        assertThat(Report.median(List.of(3.0, 1.0, 2.0))).isEqualTo(2.0);
        assertThat(Report.median(List.of(4.0, 1.0, 3.0, 2.0))).isEqualTo(2.5);
        assertThat(Report.median(List.of())).isNaN();
    }

    @Test
    void floorIsTheBestCRowLowestTimeOrHighestThroughput() {
        Report.Data d = Report.parse(RAW);
        assertThat(Report.floor(d, "spawn-wait")).isEqualTo("c-posix_spawn");
        assertThat(Report.floor(d, "throughput-1m")).isEqualTo("c-splice");
    }

    @Test
    void ratiosDivideMediansOfTheMainMetric() {
        Report.Data d = Report.parse(RAW);
        assertThat(Report.ratio(d, "spawn-wait", "spawnkit", "c-posix_spawn")).isCloseTo(612.4 / 310, within(1e-9));
        assertThat(Report.ratio(d, "spawn-wait", "pb", "spawnkit")).isCloseTo(900 / 612.4, within(1e-9));
        assertThat(Report.ratio(d, "throughput-1m", "spawnkit", "c-splice")).isEqualTo(0.5);
        assertThat(Report.ratio(d, "spawn-wait", "pb", null)).isNaN();
    }

    @Test
    void mainMetricFollowsTheScenarioVariantName() {
        assertThat(Report.mainMetric("spawn-wait")).isEqualTo("us_per_op");
        assertThat(Report.mainMetric("many-5000")).isEqualTo("wall_ms");
        assertThat(Report.mainMetric("alive-1000")).isEqualTo("wall_ms");
        assertThat(Report.mainMetric("latency")).isEqualTo("p50_us");
        assertThat(Report.mainMetric("throughput-default")).isEqualTo("mb_per_s");
    }

    @Test
    void threeSignificantDigits() {
        assertThat(Report.sig3(612.4)).isEqualTo("612");
        assertThat(Report.sig3(1.23456)).isEqualTo("1.23");
        assertThat(Report.sig3(0.012345)).isEqualTo("0.0123");
        assertThat(Report.sig3(12345)).isEqualTo("12300");
        assertThat(Report.sig3(1000)).isEqualTo("1000");
        assertThat(Report.sig3(2.0)).isEqualTo("2");
        assertThat(Report.sig3(Double.NaN)).isEqualTo("–");
    }

    @Test
    void rendersOneTablePerScenarioWithCRowsFirstAndSkips() {
        String md = Report.render(Report.parse(RAW), "title");
        assertThat(md).startsWith("# title\n");
        assertThat(md).contains("## spawn-wait", "## throughput-1m", "C floor: `c-posix_spawn`");
        // rows: competitor, rounds, median, min, max, vs C, vs spawnkit, then total_ms
        assertThat(md).contains("| spawnkit | 3 | 612 | 600 | 650 | 1.98× | 1× | 1220 |");
        assertThat(md).contains("| c-posix_spawn | 2 | 310 | 300 | 320 | 1× | 0.506× | – |");
        assertThat(md.indexOf("| c-fork")).isLessThan(md.indexOf("| spawnkit"));
        assertThat(md.indexOf("| spawnkit")).isLessThan(md.indexOf("| pb"));
        assertThat(md).contains("## Skipped", "- latency, `zt-exec`: no exit callback (2 rounds)");
    }
}
