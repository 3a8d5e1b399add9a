package io.spawnkit.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.spawnkit.supervisor.ExitPolicy;
import io.spawnkit.supervisor.RestartPolicy;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** Option parsing and the checks made before any file is read; no process is started. */
class RunCommandTest {

    private static RunCommand parse(String... args) {
        RunCommand rc = new RunCommand();
        new CommandLine(rc).parseArgs(args);
        return rc;
    }

    @Test
    void defaults() {
        RunCommand rc = parse();
        assertThat(rc.procfile).isNull();
        assertThat(rc.tomlFile).isNull();
        assertThat(rc.envFiles).isEmpty();
        assertThat(rc.formation).isNull();
        assertThat(rc.port).isEqualTo(5000);
        assertThat(rc.grace).isNull();
        assertThat(rc.restart).isNull();
        assertThat(rc.success).isNull();
        assertThat(rc.color).isNull();
        assertThat(rc.timestamps).isTrue();
        assertThat(rc.raw).isFalse();
        assertThat(rc.names).isEmpty();
    }

    @Test
    void everyOptionShortAndLong() {
        RunCommand rc = parse("-f", "P", "-e", "a.env", "--env", "b.env", "-m", "web=2,worker=1", "-p", "6000",
                "-t", "3s", "--restart", "on-failure", "--success", "last", "--no-color", "--no-timestamps",
                "--raw", "web", "worker");
        assertThat(rc.procfile).isEqualTo(Path.of("P"));
        assertThat(rc.envFiles).containsExactly(Path.of("a.env"), Path.of("b.env"));
        assertThat(rc.formation).isEqualTo("web=2,worker=1");
        assertThat(rc.port).isEqualTo(6000);
        assertThat(rc.grace).isEqualTo(Duration.ofSeconds(3));
        assertThat(rc.restart).isEqualTo(RestartPolicy.Mode.ON_FAILURE);
        assertThat(rc.success).isEqualTo(ExitPolicy.Success.LAST);
        assertThat(rc.color).isFalse();
        assertThat(rc.timestamps).isFalse();
        assertThat(rc.raw).isTrue();
        assertThat(rc.names).containsExactly("web", "worker");

        rc = parse("--procfile", "P", "--formation", "all=1", "--port", "7000", "--grace", "500ms",
                "--restart", "always", "--success", "all", "--color", "--timestamps", "-c", "x.toml");
        assertThat(rc.grace).isEqualTo(Duration.ofMillis(500));
        assertThat(rc.restart).isEqualTo(RestartPolicy.Mode.ALWAYS);
        assertThat(rc.success).isEqualTo(ExitPolicy.Success.ALL);
        assertThat(rc.color).isTrue();
        assertThat(rc.timestamps).isTrue();
        assertThat(rc.tomlFile).isEqualTo(Path.of("x.toml"));
        assertThat(parse("--config", "y.toml", "--restart", "NO", "--success", "First").restart)
                .isEqualTo(RestartPolicy.Mode.NO);
    }

    @Test
    void badOptionValuesAreUsageErrorsWithExitCode2() {
        assertThat(execute("--restart", "sometimes").code).isEqualTo(2);
        assertThat(execute("--restart", "sometimes").err).contains("not a restart mode: 'sometimes'");
        assertThat(execute("--success", "best").err).contains("not a --success choice");
        assertThat(execute("-t", "soon").err).contains("not a duration");
        assertThat(execute("--bogus").code).isEqualTo(2);
    }

    @Test
    void aMissingProcfileIsExitCode2BeforeAnythingStarts(@TempDir Path dir) {
        Result r = execute("-f", dir.resolve("Procfile").toString());
        assertThat(r.code).isEqualTo(2);
        assertThat(r.err).contains("spawnkit run: no Procfile at " + dir.resolve("Procfile"));
    }

    @Test
    void contradictoryFilesAreExitCode2(@TempDir Path dir) throws Exception {
        Path p = Files.writeString(dir.resolve("Procfile"), "web: true\n");
        assertThat(execute("-f", p.toString(), "-c", p.toString()).err).contains("not both");
        assertThat(execute("-c", p.toString(), "-e", p.toString()).err).contains("-e goes with a Procfile");
        assertThat(execute("-f", p.toString(), "-p", "0").err).contains("-p: not a port: 0");
        assertThat(execute("-f", p.toString(), "-p", "0").code).isEqualTo(2);
    }

    @Test
    void aProcfileRunsInItsOwnDirectoryATomlInOurs(@TempDir Path dir) {
        RunCommand.Source procfile = new RunCommand.Source(dir.resolve("Procfile"), false, List.of());
        assertThat(procfile.defaultDirectory()).isEqualTo(dir.toAbsolutePath().normalize());
        assertThat(new RunCommand.Source(dir.resolve("spawnkit.toml"), true, List.of()).defaultDirectory()).isNull();
    }

    @Test
    void theEnvBesideAProcfileIsReadUnlessFilesAreGiven(@TempDir Path dir) throws Exception {
        Path procfile = Files.writeString(dir.resolve("Procfile"), "web: true\n");
        assertThat(RunCommand.besideProcfile(procfile)).isEmpty();
        Files.writeString(dir.resolve(".env"), "A=1\n");
        assertThat(RunCommand.besideProcfile(procfile)).containsExactly(dir.resolve(".env"));
        assertThat(parse("-f", procfile.toString()).source().envFiles()).containsExactly(dir.resolve(".env"));
        Path other = Files.writeString(dir.resolve("other.env"), "B=2\n");
        assertThat(parse("-f", procfile.toString(), "-e", other.toString()).source().envFiles())
                .containsExactly(other);
    }

    @Test
    void colourFollowsTheFlagThenNoColorThenTheTerminal() {
        assertThat(RunCommand.useColor(null, Map.of(), true)).isTrue();
        assertThat(RunCommand.useColor(null, Map.of(), false)).isFalse();
        assertThat(RunCommand.useColor(null, Map.of("NO_COLOR", "1"), true)).isFalse();
        assertThat(RunCommand.useColor(null, Map.of("NO_COLOR", ""), true)).isTrue();
        assertThat(RunCommand.useColor(null, Map.of("TERM", "dumb"), true)).isFalse();
        assertThat(RunCommand.useColor(true, Map.of("NO_COLOR", "1"), false)).isTrue();
        assertThat(RunCommand.useColor(false, Map.of(), true)).isFalse();
    }

    @Test
    void registeredInMain() {
        CommandLine cl = new CommandLine(new Main());
        assertThat(cl.getSubcommands()).containsKeys("exec", "run");
        StringWriter help = new StringWriter();
        cl.getSubcommands().get("run").usage(new PrintWriter(help));
        assertThat(help.toString()).contains("--formation", "--restart", "--success", "--[no-]color", "NAME");
        StringWriter version = new StringWriter();
        cl.getSubcommands().get("run").printVersionHelp(new PrintWriter(version, true));
        assertThat(version.toString()).startsWith("spawnkit 0.1.0");
    }

    private record Result(int code, String err) {}

    private static Result execute(String... args) {
        RunCommand rc = new RunCommand();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream ps = new PrintStream(err, true, StandardCharsets.UTF_8);
        rc.err = ps;
        CommandLine cl = new CommandLine(rc);
        cl.setErr(new PrintWriter(ps, true));
        int code = cl.execute(args);
        return new Result(code, err.toString(StandardCharsets.UTF_8));
    }
}
