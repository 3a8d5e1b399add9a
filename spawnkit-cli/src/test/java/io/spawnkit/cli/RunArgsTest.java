package io.spawnkit.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.statistics.Statistics;
import picocli.CommandLine;

/** The plain reader of {@code run}'s arguments reads what picocli reads, or leaves it to picocli. */
class RunArgsTest {

    /** Every field an option or a name sets, in one list to compare. */
    private static List<Object> fields(RunCommand rc) {
        return Arrays.asList(rc.procfile, rc.envFiles, rc.tomlFile, rc.formation, rc.port, rc.grace, rc.restart,
                rc.success, rc.color, rc.timestamps, rc.raw, rc.names);
    }

    /** What picocli makes of the arguments, or null when it refuses them. */
    private static RunCommand picocli(List<String> args) {
        RunCommand rc = new RunCommand();
        try {
            new CommandLine(rc).parseArgs(args.toArray(String[]::new));
            return rc;
        } catch (CommandLine.ParameterException e) {
            return null;
        }
    }

    @Property(tries = 3000)
    void readsWhatPicocliReadsOrLeavesItToPicocli(@ForAll("commandLines") List<String> args) {
        RunCommand plain = RunArgs.parse(args);
        Statistics.collect(plain != null ? "read plainly" : "left to picocli");
        if (plain != null) {
            RunCommand reference = picocli(args);
            assertThat(reference).as("picocli refuses what the plain reader took: %s", args).isNotNull();
            assertThat(fields(plain)).as("%s", args).isEqualTo(fields(reference));
        }
        // the comparison means something only if both outcomes are common
        Statistics.coverage(c -> {
            c.check("read plainly").percentage(p -> p > 10);
            c.check("left to picocli").percentage(p -> p > 10);
        });
    }

    @Example
    void readsTheCommonCommandLinesItself() {
        List<List<String>> common = List.of(
                List.of(),
                List.of("-f", "examples/Procfile", "--restart", "on-failure"),
                List.of("-f", "Procfile", "--no-color"),
                List.of("-fProcfile", "-e", "a.env", "--env=b.env", "-m", "web=2,worker=1", "-p", "6000", "web"),
                List.of("-c", "spawnkit.toml", "-t", "3s", "--success", "all", "--no-timestamps", "--raw"),
                List.of("--procfile=P", "--timeout", "PT1M", "--color", "--", "-odd-name"));
        for (List<String> args : common) {
            RunCommand plain = RunArgs.parse(args);
            assertThat(plain).as("%s", args).isNotNull();
            assertThat(fields(plain)).as("%s", args).isEqualTo(fields(picocli(args)));
        }
    }

    @Example
    void leavesHelpErrorsAndArgumentFilesToPicocli() {
        for (List<String> args : List.of(List.of("-h"), List.of("--help"), List.of("-V"), List.of("--bogus"),
                List.of("-p", "five"), List.of("-p", "5000", "-p", "6000"), List.of("--restart", "sometimes"),
                List.of("-t", "soon"), List.of("-f"), List.of("-f", "--raw"), List.of("--raw=true"),
                List.of("@args.txt"), List.of("-"), List.of("--no-color", "--color"))) {
            assertThat(RunArgs.parse(args)).as("%s", args).isNull();
        }
    }

    @Provide
    Arbitrary<List<String>> commandLines() {
        Arbitrary<String> values = Arbitraries.of("P", "a b", "x=y", "", "-x", "3s", "500ms", "soon", "PT1M",
                "on-failure", "ON_FAILURE", "sometimes", "First", "best", "6000", "0", "+5", "99999999999", "abc",
                "web=2,worker=1", "@f", "--", "-");
        Arbitrary<String> names = Arbitraries.of("-f", "--procfile", "-e", "--env", "-c", "--config", "-m",
                "--formation", "-p", "--port", "-t", "--grace", "--timeout", "--restart", "--success", "-x", "--bogus");
        Arbitrary<List<String>> option = names.flatMap(n -> values.flatMap(v -> Arbitraries.of(
                List.of(n, v), List.of(n + v), List.of(n + "=" + v), List.of(n))));
        Arbitrary<List<String>> word = Arbitraries.of("--color", "--no-color", "--timestamps", "--no-timestamps",
                "--raw", "--raw=true", "-h", "--help", "-V", "--", "-", "web", "worker", "", "@f", "x y")
                .map(List::of);
        return Arbitraries.oneOf(option, option, word).list().ofMaxSize(8).map(parts -> {
            List<String> args = new ArrayList<>();
            parts.forEach(args::addAll);
            return args;
        });
    }
}
