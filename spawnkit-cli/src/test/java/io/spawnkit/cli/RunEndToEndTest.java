package io.spawnkit.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeFalse;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.spawnkit.Command;
import io.spawnkit.cli.config.ConfigFiles;
import io.spawnkit.supervisor.HelperSpec;
import io.spawnkit.supervisor.Supervisor;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * {@code spawnkit run} as users run it: the real command line in a JVM of its own on files in a
 * temporary directory, without a terminal. Nothing here measures time: the only durations are
 * upper bounds ({@link CliProcess#LONG}) and each test kills whatever it started, failed or not.
 * Helpers that must outlive one another meet through files ({@code touch a.done}) instead of sleeps.
 *
 * <p>While the supervisor or the config readers are still the API skeleton (their methods throw
 * {@link UnsupportedOperationException}) every test here is skipped, and says why.
 */
class RunEndToEndTest {

    /** {@code HH:MM:SS name | line}, names padded to {@code system}'s six characters here. */
    private static final Pattern LINE = Pattern.compile("\\d\\d:\\d\\d:\\d\\d (\\S+) +([|!]) (.*)");

    @TempDir
    Path dir;

    @BeforeAll
    static void theSupervisorAndTheConfigReadersAreThere(@TempDir Path tmp) throws Exception {
        boolean supervisor = true;
        try {
            Supervisor.builder().helper(HelperSpec.of("probe", Command.of("true"))).build();
        } catch (UnsupportedOperationException skeleton) {
            supervisor = false;
        }
        assumeTrue(supervisor, "waits for the supervisor implementation");
        boolean readers = true;
        try {
            ConfigFiles.loadProcfile(Files.writeString(tmp.resolve("Procfile"), "probe: true\n"), List.of());
        } catch (UnsupportedOperationException skeleton) {
            readers = false;
        }
        assumeTrue(readers, "waits for the config readers");
    }

    private CliProcess run(String procfile, String... args) throws Exception {
        Files.writeString(dir.resolve("Procfile"), procfile);
        List<String> all = new ArrayList<>(List.of("run", "-f", "Procfile"));
        all.addAll(List.of(args));
        return CliProcess.start(dir, all.toArray(String[]::new));
    }

    private CliProcess runToml(String toml, String... args) throws Exception {
        Files.writeString(dir.resolve("spawnkit.toml"), toml);
        List<String> all = new ArrayList<>(List.of("run", "-c", "spawnkit.toml"));
        all.addAll(List.of(args));
        return CliProcess.start(dir, all.toArray(String[]::new));
    }

    /** A helper printing {@code count} numbered lines, one on stderr, then waiting for {@code other}. */
    private static String counter(String name, int count, String other) {
        return name + ": i=1; while [ $i -le " + count + " ]; do echo \"" + name + " $i\"; i=$((i+1)); done;"
                + " echo \"" + name + " complains\" >&2; touch " + name + ".done;"
                + " while [ ! -e " + other + ".done ]; do sleep 0.05; done\n";
    }

    @Test
    void linesArePrefixedAlignedMarkedAndInOrderPerHelper() throws Exception {
        try (CliProcess cli = run(counter("a", 500, "bb") + counter("bb", 500, "a"))) {
            assertThat(cli.waitFor()).isEqualTo(0);
            String out = cli.stdout();
            // stdout is a file: no colour without being asked
            assertThat(out).doesNotContain("\u001b");
            List<String> a = new ArrayList<>();
            List<String> bb = new ArrayList<>();
            for (String line : cli.stdoutLines()) {
                Matcher m = LINE.matcher(line);
                assertThat(m.matches()).as("line '%s'", line).isTrue();
                String name = m.group(1);
                assertThat(name).isIn("a.1", "bb.1", "system");
                // padded to the longest name ("system")
                assertThat(line.substring(9, 16)).isEqualTo(String.format("%-6s ", name));
                if (m.group(2).equals("!")) {
                    assertThat(m.group(3)).isEqualTo(name.equals("a.1") ? "a complains" : "bb complains");
                } else if (m.group(3).startsWith("a ")) {
                    assertThat(name).isEqualTo("a.1");
                    a.add(m.group(3));
                } else if (m.group(3).startsWith("bb ")) {
                    assertThat(name).isEqualTo("bb.1");
                    bb.add(m.group(3));
                }
            }
            assertThat(a).isEqualTo(numbered("a", 500));
            assertThat(bb).isEqualTo(numbered("bb", 500));
            assertThat(out).containsPattern("(?m)^\\d\\d:\\d\\d:\\d\\d a\\.1    \\| started with pid \\d+$");
            assertThat(out).containsPattern("(?m)^\\d\\d:\\d\\d:\\d\\d a\\.1    ! a complains$");
            // the first to end (either) stops the other, as in foreman
            assertThat(out).containsPattern("(?m)^\\d\\d:\\d\\d:\\d\\d (a\\.1 |bb\\.1)   \\| exited with code 0$")
                    .containsPattern("(?m)^\\d\\d:\\d\\d:\\d\\d system \\| (a|bb)\\.1 has ended: stopping all processes$");
        }
    }

    @Test
    void theLastLineWithoutANewlineIsShownAndTimestampsCanGo() throws Exception {
        try (CliProcess cli = run("solo: echo first; printf 'no newline at the end'\n", "--no-timestamps")) {
            assertThat(cli.waitFor()).isEqualTo(0);
            List<String> lines = cli.stdoutLines();
            assertThat(lines).containsSubsequence(
                            "solo.1 | first", "solo.1 | no newline at the end", "solo.1 | exited with code 0")
                    // ready when started: nothing to say about it
                    .doesNotContain("solo.1 | ready");
        }
    }

    @Test
    void rawPrintsTheLinesAlone() throws Exception {
        try (CliProcess cli = run("solo: echo 'a | b'; echo oops >&2; printf last\n", "--raw", "--color")) {
            assertThat(cli.waitFor()).isEqualTo(0);
            // stdout and stderr are two pipes: ordered per stream only
            assertThat(cli.stdoutLines()).containsExactlyInAnyOrder("a | b", "oops", "last")
                    .containsSubsequence("a | b", "last");
            assertThat(cli.stdout()).doesNotContain("\u001b");
        }
    }

    @Test
    void colourOnRequest() throws Exception {
        try (CliProcess cli = run("solo: echo hi; echo oops >&2\n", "--color", "--no-timestamps")) {
            assertThat(cli.waitFor()).isEqualTo(0);
            assertThat(cli.stdout()).contains("\u001b[36msolo.1 |\u001b[0m hi\n")
                    .contains("\u001b[36msolo.1 \u001b[0m\u001b[1;31m!\u001b[0m oops\n");
        }
    }

    @Test
    void formationNamesInstancesAndGivesEachItsPort() throws Exception {
        // each instance waits until all three have printed, so that none is stopped before it prints
        String wait = "touch $PS.done; while [ ! -e web.1.done ] || [ ! -e web.2.done ] || [ ! -e worker.1.done ];"
                + " do sleep 0.05; done";
        String procfile = "web: echo \"port=$PORT ps=$PS\"; " + wait + "\n"
                + "worker: echo \"port=$PORT ps=$PS\"; " + wait + "\n"
                + "other: echo never\n";
        try (CliProcess cli = run(procfile, "-m", "web=2,worker=1", "-p", "6000", "--no-timestamps")) {
            assertThat(cli.waitFor()).isEqualTo(0);
            assertThat(cli.stdoutLines()).contains(
                    "web.1    | port=6000 ps=web.1",
                    "web.2    | port=6001 ps=web.2",
                    "worker.1 | port=6100 ps=worker.1");
            assertThat(cli.stdout()).doesNotContain("never").doesNotContain("other.");
        }
    }

    @Test
    void envFilesAddVariablesTheBesideOneByDefault() throws Exception {
        Files.writeString(dir.resolve(".env"), "GREETING=from beside\n");
        Files.writeString(dir.resolve("other.env"), "GREETING=from other\n");
        try (CliProcess cli = run("solo: echo \"$GREETING\"\n", "--no-timestamps")) {
            assertThat(cli.waitFor()).isEqualTo(0);
            assertThat(cli.stdoutLines()).contains("solo.1 | from beside");
        }
        try (CliProcess cli = run("solo: echo \"$GREETING\"\n", "--no-timestamps", "-e", "other.env")) {
            assertThat(cli.waitFor()).isEqualTo(0);
            assertThat(cli.stdoutLines()).contains("solo.1 | from other");
        }
    }

    @Test
    void namesRunOnlyThoseTypes() throws Exception {
        try (CliProcess cli = run("a: echo a ran\nb: echo b ran\n", "b", "--no-timestamps")) {
            assertThat(cli.waitFor()).isEqualTo(0);
            assertThat(cli.stdoutLines()).contains("b.1    | b ran");
            assertThat(cli.stdout()).doesNotContain("a ran").doesNotContain("a.1");
        }
    }

    @Test
    void ctrlCStopsTheWholeTreeEvenAHelperIgnoringSigterm() throws Exception {
        assumeFalse(CliProcess.ignoredHere(2), "this JVM was started with SIGINT ignored");
        String procfile = "stubborn: trap '' TERM; sleep 100000 & echo \"grandchild=$!\"; echo \"self=$$\";"
                + " while :; do sleep 0.1; done\n"
                + "calm: exec sleep 100000\n";
        try (CliProcess cli = run(procfile, "-t", "1s")) {
            long grandchild = Long.parseLong(cli.await("stubborn\\.1 +\\| grandchild=(\\d+)$").group(1));
            cli.alsoKill(grandchild);
            long self = Long.parseLong(cli.await("stubborn\\.1 +\\| self=(\\d+)$").group(1));
            cli.alsoKill(self);
            long calm = Long.parseLong(cli.await("calm\\.1 +\\| started with pid (\\d+)$").group(1));
            cli.alsoKill(calm);
            Set<Long> tree = cli.knownPids();
            assertThat(tree).contains(grandchild, self, calm);

            cli.signal("INT");
            assertThat(cli.waitFor()).isEqualTo(130);
            assertThat(tree).allSatisfy(pid -> assertThat(CliProcess.alive(pid)).as("pid %d alive", pid).isFalse());
            assertThat(cli.stdout()).contains("SIGINT received: stopping all processes");
        }
    }

    @Test
    void aSecondCtrlCKillsWithoutWaitingForTheGrace() throws Exception {
        assumeFalse(CliProcess.ignoredHere(2), "this JVM was started with SIGINT ignored");
        String procfile = "stubborn: trap '' TERM; sleep 100000 & echo \"grandchild=$!\"; while :; do sleep 0.1; done\n";
        // a grace far beyond the test's upper bound: only the second Ctrl-C can end it in time
        try (CliProcess cli = run(procfile, "-t", "10m")) {
            long grandchild = Long.parseLong(cli.await("stubborn\\.1 +\\| grandchild=(\\d+)$").group(1));
            cli.alsoKill(grandchild);
            Set<Long> tree = cli.knownPids();
            cli.signal("INT");
            cli.await("system +\\| SIGINT received: stopping");
            cli.signal("INT");
            assertThat(cli.waitFor()).isEqualTo(130);
            assertThat(tree).allSatisfy(pid -> assertThat(CliProcess.alive(pid)).as("pid %d alive", pid).isFalse());
            assertThat(cli.stdout()).contains("SIGINT received again: killing all processes");
        }
    }

    @ParameterizedTest(name = "SIG{0} -> {1}")
    @CsvSource({"TERM, 143, 15", "HUP, 129, 1"})
    void sigtermOrSighupStopsAllAndExitsWith128PlusItsNumber(String signal, int code, int number) throws Exception {
        assumeFalse(CliProcess.ignoredHere(number), "this JVM was started with SIG" + signal + " ignored");
        try (CliProcess cli = run("sleeper: exec sleep 100000\n")) {
            long pid = Long.parseLong(cli.await("sleeper\\.1 +\\| started with pid (\\d+)$").group(1));
            cli.alsoKill(pid);
            cli.signal(signal);
            assertThat(cli.waitFor()).isEqualTo(code);
            assertThat(cli.stdout()).contains("SIG" + signal + " received: stopping all processes");
            assertThat(CliProcess.alive(pid)).isFalse();
            assertThat(cli.stdout()).contains("sleeper.1 | killed by SIGTERM");
        }
    }

    @Test
    void whenNobodyReadsStdoutAnyMoreEverythingStops() throws Exception {
        Files.writeString(dir.resolve("Procfile"), "chatty: echo \"pid=$$\"; while :; do echo chatter; sleep 0.01; done\n");
        try (CliProcess cli = CliProcess.start(dir, true, "run", "-f", "Procfile", "--raw")) {
            BufferedReader r = new BufferedReader(new InputStreamReader(cli.stdoutPipe(), StandardCharsets.UTF_8));
            String first = r.readLine();
            assertThat(first).startsWith("pid=");
            long pid = Long.parseLong(first.substring(4));
            cli.alsoKill(pid);
            r.close();
            // 128 + SIGPIPE, as a shell reports a writer whose reader is gone
            assertThat(cli.waitFor()).isEqualTo(141);
            assertThat(CliProcess.alive(pid)).isFalse();
            assertThat(cli.stderr()).contains("cannot write to stdout").contains("stopping all processes");
        }
    }

    @Test
    void aFailingHelperIsRestartedWithGrowingDelaysThenGivenUp() throws Exception {
        try (CliProcess cli = run("flaky: echo run; exit 3\n", "--restart", "on-failure", "--no-timestamps")) {
            // the default limit: 5 restarts; the sixth failure ends it for good, which ends the run
            assertThat(cli.waitFor()).isEqualTo(3);
            List<String> lines = cli.stdoutLines();
            assertThat(lines).filteredOn("flaky.1 | run"::equals).hasSize(6);
            assertThat(lines).filteredOn(l -> l.startsWith("flaky.1 | restarted with pid ")).hasSize(5);
            assertThat(lines).anyMatch(l -> l.startsWith("flaky.1 | gave up restarting"));
            List<Long> delays = new ArrayList<>();
            for (String l : lines) {
                Matcher m = Pattern.compile("flaky\\.1 \\| restarting in (\\S+) ").matcher(l);
                if (m.lookingAt()) {
                    delays.add(DurationConverter.parse(m.group(1)).toMillis());
                }
            }
            assertThat(delays).hasSize(5).isSorted();
            assertThat(delays.getLast()).isGreaterThan(delays.getFirst());
        }
    }

    @Test
    void aHelperStartsOnlyOnceWhatItDependsOnIsReady() throws Exception {
        String toml = """
                [process.web]
                command = 'echo "web runs"; exec sleep 100000'
                depends_on = { db = "ready" }

                [process.db]
                command = 'echo booting; sleep 0.3; echo "db is up"; exec sleep 100000'
                ready = { line = "db is up" }
                """;
        try (CliProcess cli = runToml(toml, "--no-timestamps")) {
            cli.await("web\\.1 +\\| web runs$");
            cli.signal("TERM");
            assertThat(cli.waitFor()).isEqualTo(143);
            List<String> lines = cli.stdoutLines();
            assertThat(lines).containsSubsequence("db.1   | db is up", "db.1   | ready", "web.1  | web runs");
            int ready = lines.indexOf("db.1   | ready");
            int webStarted = indexOfPrefix(lines, "web.1  | started with pid ");
            assertThat(webStarted).isGreaterThan(ready);
        }
    }

    @Test
    void theExitCodeIsTheFirstOneByDefault() throws Exception {
        try (CliProcess cli = run("fails: exit 4\nsleeper: exec sleep 100000\n")) {
            assertThat(cli.waitFor()).isEqualTo(4);
            assertThat(cli.stdout()).containsPattern("sleeper\\.1 +\\| (killed by SIGTERM|exited with code)");
        }
    }

    @Test
    void successChoosesBetweenFirstLastAndAll() throws Exception {
        // second starts once first has ended with 0: the order of the endings is fixed
        String toml = """
                [run]
                exit = "keep-running"

                [process.first]
                command = "exit 0"

                [process.second]
                command = "exit 7"
                depends_on = { first = "completed_successfully" }
                """;
        for (String[] c : new String[][] {{"first", "0"}, {"last", "7"}, {"all", "7"}}) {
            try (CliProcess cli = runToml(toml, "--success", c[0])) {
                assertThat(cli.waitFor()).as("--success %s", c[0]).isEqualTo(Integer.parseInt(c[1]));
            }
        }
    }

    @Test
    void aMalformedProcfileIsExitCode2WithFileAndLine() throws Exception {
        try (CliProcess cli = run("web: echo hi\noops no colon here\n")) {
            assertThat(cli.waitFor()).isEqualTo(2);
            assertThat(cli.stderr()).contains("Procfile:2: ");
            assertThat(cli.stdout()).doesNotContain("started");
        }
    }

    @Test
    void anUnknownNameIsExitCode2AndNothingStarts() throws Exception {
        try (CliProcess cli = run("web: echo hi\n", "nosuch")) {
            assertThat(cli.waitFor()).isEqualTo(2);
            assertThat(cli.stderr()).contains("unknown process type 'nosuch' (the file defines: web)");
            assertThat(cli.stdout()).isEmpty();
        }
    }

    @Test
    void aDependencyCycleIsExitCode2AndNothingStarts() throws Exception {
        String toml = """
                [process.a]
                command = "echo a"
                depends_on = ["b"]

                [process.b]
                command = "echo b"
                depends_on = ["a"]
                """;
        try (CliProcess cli = runToml(toml)) {
            assertThat(cli.waitFor()).isEqualTo(2);
            assertThat(cli.stderr()).containsIgnoringCase("cycle");
            assertThat(cli.stdout()).doesNotContain("started");
        }
    }

    @Test
    void aBadTomlValueIsExitCode2WithFileAndLine() throws Exception {
        try (CliProcess cli = runToml("[process.a]\ncommand = \"echo a\"\nrestart = \"sometimes\"\n")) {
            assertThat(cli.waitFor()).isEqualTo(2);
            assertThat(cli.stderr()).contains("spawnkit.toml:3:");
        }
    }

    private static List<String> numbered(String name, int count) {
        List<String> l = new ArrayList<>();
        for (int i = 1; i <= count; i++) {
            l.add(name + " " + i);
        }
        return l;
    }

    private static int indexOfPrefix(List<String> lines, String prefix) {
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).startsWith(prefix)) {
                return i;
            }
        }
        throw new AssertionError("no line starting with '" + prefix + "' in " + lines);
    }
}
