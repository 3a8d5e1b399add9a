package io.spawnkit.cli.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.entry;

import io.spawnkit.Signal;
import io.spawnkit.supervisor.DependsOn;
import io.spawnkit.supervisor.DependsOn.Condition;
import io.spawnkit.supervisor.ExitPolicy;
import io.spawnkit.supervisor.Readiness;
import io.spawnkit.supervisor.RestartPolicy;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SpawnkitTomlTest {
    private static final Map<String, String> OUTSIDE = Map.of("HOME", "/home/me");

    @TempDir
    Path dir;

    private Path write(String name, String text) throws IOException {
        Path p = dir.resolve(name);
        Files.createDirectories(p.getParent());
        Files.writeString(p, text);
        return p;
    }

    private RunConfig load(String toml) throws Exception {
        return ConfigFiles.loadToml(write("spawnkit.toml", toml), OUTSIDE::get);
    }

    private ProcessConfig only(String toml) throws Exception {
        RunConfig c = load(toml);
        assertThat(c.processes()).hasSize(1);
        return c.processes().getFirst();
    }

    /** The error of {@code toml}, with the file name replaced by {@code F}. */
    private String error(String toml) throws IOException {
        Path f = write("spawnkit.toml", toml);
        try {
            ConfigFiles.loadToml(f, OUTSIDE::get);
        } catch (ConfigException e) {
            return e.getMessage().replace(f.toString(), "F");
        }
        throw new AssertionError("no error for:\n" + toml);
    }

    @Test
    void theSmallestFileGetsEveryDefault() throws Exception {
        ProcessConfig p = only("[process.web]\ncommand = \"python3 -m http.server 8000\"\n");
        assertThat(p.name()).isEqualTo("web");
        assertThat(p.argv()).containsExactly("/bin/sh", "-c", "python3 -m http.server 8000");
        assertThat(p.directory()).isNull();
        assertThat(p.env()).isEmpty();
        assertThat(p.restart()).isEqualTo(RestartPolicy.no());
        assertThat(p.readiness()).isEqualTo(Readiness.started());
        assertThat(p.dependsOn()).isEmpty();
        assertThat(p.stopSignal()).isEqualTo(Signal.TERM);
        assertThat(p.stopGrace()).isEqualTo(Duration.ofSeconds(10));
        assertThat(p.replicas()).isEqualTo(1);
        assertThat(p.source()).isEqualTo(dir.resolve("spawnkit.toml") + ":1");
        assertThat(load("[process.web]\ncommand = \"x\"\n").exitPolicy()).isNull();
    }

    @Test
    void everyKeyOfAProcess() throws Exception {
        write("common.env", "COMMON=1\nSHARED=common\n");
        write("conf/web.env", "WEB=$COMMON$HOME\nSHARED=web\n");
        RunConfig c = load("""
                [run]
                exit = "web"
                success = "all"
                env_file = "common.env"

                [process.db]
                command = ["postgres", "-D", "data dir"]

                [process.web]
                command = "python3 -m http.server 8000"
                cwd = "site"
                env = { DEBUG = "1", PORT = 8000, RATIO = 0.5, ON = true, SHARED = "table" }
                env_file = ["conf/web.env"]
                restart = "on-failure"
                restart_delay = "250ms"
                restart_max_delay = "1m"
                restart_limit = 3
                restart_window = 120
                restart_reset_after = "1m30s"
                ready = { http = "http://127.0.0.1:8000/" }
                ready_timeout = "5s"
                depends_on = { db = "started" }
                stop_signal = "SIGINT"
                stop_grace = 2.5
                replicas = 2
                """);
        assertThat(c.exitPolicy()).isEqualTo(ExitPolicy.stopAllWhenEnds("web").withSuccess(ExitPolicy.Success.ALL));
        assertThat(c.processes()).extracting(ProcessConfig::name).containsExactly("db", "web");
        ProcessConfig db = c.processes().get(0);
        assertThat(db.argv()).containsExactly("postgres", "-D", "data dir");
        assertThat(db.env()).containsExactly(entry("COMMON", "1"), entry("SHARED", "common"));
        assertThat(db.source()).endsWith("spawnkit.toml:6");

        ProcessConfig web = c.processes().get(1);
        assertThat(web.directory()).isEqualTo(dir.toAbsolutePath().resolve("site"));
        assertThat(web.env()).containsExactly(entry("COMMON", "1"), entry("SHARED", "table"),
                entry("WEB", "1/home/me"), entry("DEBUG", "1"), entry("PORT", "8000"), entry("RATIO", "0.5"),
                entry("ON", "true"));
        assertThat(web.restart()).isEqualTo(RestartPolicy.onFailure()
                .withBackoff(Duration.ofMillis(250), Duration.ofMinutes(1), 2.0)
                .withLimit(3, Duration.ofSeconds(120))
                .withResetAfter(Duration.ofSeconds(90)));
        assertThat(web.readiness()).isEqualTo(new Readiness.Http(URI.create("http://127.0.0.1:8000/"),
                Readiness.DEFAULT_INTERVAL, Duration.ofSeconds(5)));
        assertThat(web.dependsOn()).containsExactly(new DependsOn("db", Condition.STARTED));
        assertThat(web.stopSignal()).isEqualTo(Signal.INT);
        assertThat(web.stopGrace()).isEqualTo(Duration.ofMillis(2500));
        assertThat(web.replicas()).isEqualTo(2);
        assertThat(web.source()).endsWith("spawnkit.toml:9");
    }

    @Test
    void processesKeepFileOrderWhateverTheSyntax() throws Exception {
        RunConfig c = load("""
                process.b.command = "b"
                [process.z]
                command = "z"
                [process.a]
                command = "a"
                [process."quoted-name_1"]
                command = "q"
                """);
        assertThat(c.processes()).extracting(ProcessConfig::name).containsExactly("b", "z", "a", "quoted-name_1");
    }

    @Test
    void aProcessMayBeAnInlineTable() throws Exception {
        RunConfig c = load("process = { web = { command = \"w\", replicas = 0 } }\n");
        assertThat(c.processes().getFirst().replicas()).isZero();
    }

    @Test
    void exitPolicies() throws Exception {
        String procs = "\n[process.web]\ncommand = \"x\"\n[process.any]\ncommand = \"y\"\n";
        assertThat(load("[run]\nexit = \"keep-running\"" + procs).exitPolicy()).isEqualTo(ExitPolicy.keepRunning());
        assertThat(load("[run]\nexit = \"any\"" + procs).exitPolicy()).isEqualTo(ExitPolicy.stopAllWhenAnyEnds());
        assertThat(load("[run]\nexit = \"web\"\nsuccess = \"last\"" + procs).exitPolicy())
                .isEqualTo(ExitPolicy.stopAllWhenEnds("web").withSuccess(ExitPolicy.Success.LAST));
        assertThat(load("[run]\nexit = \"any\"\nsuccess = \"first\"" + procs).exitPolicy())
                .isEqualTo(ExitPolicy.stopAllWhenAnyEnds());
        assertThat(load("[run]" + procs).exitPolicy()).isNull();
    }

    @Test
    void readinessChecks() throws Exception {
        String cmd = "[process.p]\ncommand = \"x\"\n";
        Readiness line = only(cmd + "ready = { line = \"listening on \\\\d+\" }\n").readiness();
        assertThat(line).isInstanceOfSatisfying(Readiness.Line.class, l -> {
            assertThat(l.pattern().pattern()).isEqualTo("listening on \\d+");
            assertThat(l.timeout()).isEqualTo(Readiness.DEFAULT_TIMEOUT);
        });
        assertThat(only(cmd + "ready = { port = 8000 }\nready_timeout = \"1m\"\n").readiness())
                .isEqualTo(new Readiness.Port("127.0.0.1", 8000, Readiness.DEFAULT_INTERVAL, Duration.ofMinutes(1)));
        assertThat(only(cmd + "ready.delay = \"2s\"\n").readiness()).isEqualTo(Readiness.delay(Duration.ofSeconds(2)));
        assertThat(only(cmd + "[process.p.ready]\nhttp = \"https://localhost/health\"\n").readiness())
                .isEqualTo(Readiness.http("https://localhost/health"));
    }

    @Test
    void dependencies() throws Exception {
        RunConfig c = load("""
                [process.db]
                command = "db"
                [process.migrate]
                command = "m"
                depends_on = ["db"]
                [process.web]
                command = "w"
                depends_on = { db = "ready", migrate = "completed_successfully" }
                """);
        assertThat(c.processes().get(1).dependsOn()).containsExactly(new DependsOn("db", Condition.READY));
        assertThat(c.processes().get(2).dependsOn()).containsExactly(new DependsOn("db", Condition.READY),
                new DependsOn("migrate", Condition.COMPLETED_SUCCESSFULLY));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "'\"TERM\"'    | TERM",
        "'\"sigterm\"' | TERM",
        "'\"HUP\"'     | HUP",
        "'\"SIGQUIT\"' | QUIT",
        "9             | KILL",
        "2             | INT",
    })
    void stopSignals(String toml, String name) throws Exception {
        assertThat(only("[process.p]\ncommand = \"x\"\nstop_signal = " + toml + "\n").stopSignal())
                .isEqualTo(Signal.byName(name).orElseThrow());
    }

    @Test
    void restartDelaysFollowEachOtherWhenOnlyOneIsGiven() throws Exception {
        String cmd = "[process.p]\ncommand = \"x\"\nrestart = \"always\"\n";
        RestartPolicy longDelay = only(cmd + "restart_delay = \"1m\"\n").restart();
        assertThat(longDelay.mode()).isEqualTo(RestartPolicy.Mode.ALWAYS);
        assertThat(longDelay.initialDelay()).isEqualTo(Duration.ofMinutes(1));
        assertThat(longDelay.maxDelay()).isEqualTo(Duration.ofMinutes(1));
        RestartPolicy shortMax = only(cmd + "restart_max_delay = \"10ms\"\n").restart();
        assertThat(shortMax.initialDelay()).isEqualTo(Duration.ofMillis(10));
        assertThat(shortMax.maxDelay()).isEqualTo(Duration.ofMillis(10));
        assertThat(only(cmd + "restart_limit = 0\n").restart().burst()).isZero();
    }

    @Test
    void envValuesAreLiteral() throws Exception {
        assertThat(only("[process.p]\ncommand = \"x\"\nenv = { A = \"$HOME\", \"WITH SPACE\" = \"ok\" }\n").env())
                .containsExactly(entry("A", "$HOME"), entry("WITH SPACE", "ok"));
    }

    @Test
    void envFilesAreRelativeToTheTomlFile() throws Exception {
        write("sub/.env", "A=from sub\n");
        Path toml = write("sub/spawnkit.toml", "[process.p]\ncommand = \"x\"\nenv_file = \".env\"\ncwd = \"../other\"\n");
        ProcessConfig p = ConfigFiles.loadToml(toml, OUTSIDE::get).processes().getFirst();
        assertThat(p.env()).containsExactly(entry("A", "from sub"));
        assertThat(p.directory()).isEqualTo(dir.toAbsolutePath().resolve("other"));
    }

    @Test
    void anErrorInAnEnvFileNamesThatFile() throws Exception {
        Path env = write("bad.env", "OK=1\nnot a line\n");
        assertThat(error("[process.p]\ncommand = \"x\"\nenv_file = \"bad.env\"\n"))
                .isEqualTo(env + ":2: expected KEY=value");
    }

    @Test
    void noProcesses() throws Exception {
        assertThat(error("")).isEqualTo("F: no processes defined (add a [process.NAME] table)");
        assertThat(error("[run]\nexit = \"any\"\n")).isEqualTo("F: no processes defined (add a [process.NAME] table)");
        assertThat(error("[process]\n")).isEqualTo("F: no processes defined (add a [process.NAME] table)");
    }

    @Test
    void malformedTomlIsReportedWithItsLine() throws Exception {
        assertThat(error("[process.web]\ncommand = \"x\"\ncommand = \"y\"\n"))
                .isEqualTo("F:3: duplicate key 'command' (first on line 2)");
        assertThat(error("[process.web]\nrestart = on-failure\n"))
                .isEqualTo("F:2: invalid value 'on-failure' (strings need quotes)");
    }

    /** Each case: a document after {@code [process.web] command = "x"} (lines 1 and 2), and the message. */
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
        "`comand = 'x'`                       | F:3: unknown key 'comand' in [process.web] (did you mean 'command'?)",
        "`ready_timout = '1s'`                | F:3: unknown key 'ready_timout' in [process.web] (did you mean 'ready_timeout'?)",
        "`cwd = 1`                            | F:3: 'cwd' must be a string, got an integer",
        "`cwd = ''`                           | F:3: 'cwd' must not be empty",
        "`env = 'A=1'`                        | F:3: 'env' must be a table, got a string",
        "`env = { A = [1] }`                  | F:3: 'env.A' must be a string, a number or a boolean, got an array",
        "`env = { 'A=B' = '1' }`              | F:3: invalid variable name 'A=B' in 'env'",
        "`env_file = 'missing.env'`           | F:3: 'env_file': no such file: MISSING",
        "`env_file = ['a.env', 1]`            | F:3: 'env_file' must be a string or an array of strings, got an array with an integer",
        "`env_file = true`                    | F:3: 'env_file' must be a string or an array of strings, got a boolean",
        "`restart = 'sometimes'`              | F:3: 'restart' must be \"no\", \"on-failure\" or \"always\", got \"sometimes\"",
        "`restart = true`                     | F:3: 'restart' must be a string, got a boolean",
        "`restart_delay = '10x'`              | F:3: 'restart_delay': not a duration: '10x' (try 250ms, 10s, 2m, 1h, 1m30s)",
        "`restart_delay = -1`                 | F:3: 'restart_delay': not a duration: '-1' (try 250ms, 10s, 2m, 1h, 1m30s)",
        "`restart_delay = [1]`                | F:3: 'restart_delay' must be a duration such as \"10s\", got an array",
        "`restart_delay = '1m'\\nrestart_max_delay = '30s'` | F:3: 'restart_delay' (1m) is longer than 'restart_max_delay' (30s)",
        "`restart_limit = -1`                 | F:3: 'restart_limit' must be between 0 and 2147483647, got -1",
        "`restart_limit = '5'`                | F:3: 'restart_limit' must be an integer, got a string",
        "`restart_window = 'soon'`            | F:3: 'restart_window': not a duration: 'soon' (try 250ms, 10s, 2m, 1h, 1m30s)",
        "`ready = 'port 80'`                  | F:3: 'ready' must be a table, got a string",
        "`ready = {}`                         | F:3: 'ready' needs exactly one of line, port, http or delay, got none",
        "`ready = { port = 1, line = 'x' }`   | F:3: 'ready' needs exactly one of line, port, http or delay, got port and line",
        "`Command = 'x'`                      | F:3: unknown key 'Command' in [process.web] (did you mean 'command'?)",
        "`restrat = 'always'`                 | F:3: unknown key 'restrat' in [process.web] (did you mean 'restart'?)",
        "`env-file = 'x'`                     | F:3: unknown key 'env-file' in [process.web] (did you mean 'env_file'?)",
        "`ready = { prot = 80 }`              | F:3: unknown key 'prot' in 'ready' (did you mean 'port'?)",
        "`ready = { tcp = 80 }`               | F:3: unknown key 'tcp' in 'ready' (expected line, port, http or delay)",
        "`ready = { port = 0 }`               | F:3: 'ready.port' must be between 1 and 65535, got 0",
        "`ready = { port = '80' }`            | F:3: 'ready.port' must be an integer, got a string",
        "`ready = { line = '(' }`             | F:3: 'ready.line' is not a valid regular expression: Unclosed group near index 1",
        "`ready = { line = '' }`              | F:3: 'ready.line' must not be empty",
        "`ready = { http = 'localhost:80' }`  | F:3: 'ready.http' must be an http:// or https:// URL, got \"localhost:80\"",
        "`ready = { http = 'http://' }`       | F:3: 'ready.http' must be an http:// or https:// URL, got \"http://\"",
        "`ready = { delay = 'x' }`            | F:3: 'ready.delay': not a duration: 'x' (try 250ms, 10s, 2m, 1h, 1m30s)",
        "`ready_timeout = '1s'`               | F:3: 'ready_timeout' needs 'ready' with line, port or http",
        "`ready = { delay = '1s' }\\nready_timeout = '1s'` | F:4: 'ready_timeout' needs 'ready' with line, port or http",
        "`depends_on = 'db'`                  | F:3: 'depends_on' must be an array of process names or a table, got a string",
        "`depends_on = ['db', 'db']`          | F:3: 'depends_on' names 'db' twice",
        "`depends_on = ['web']`               | F:3: 'web' cannot depend on itself",
        "`depends_on = ['nope']`              | F:3: 'depends_on' of 'web' names no process: 'nope'",
        "`depends_on = { db = 'healthy' }`    | F:3: 'depends_on.db' must be \"started\", \"ready\" or \"completed_successfully\", got \"healthy\"",
        "`depends_on = { db = 'started',\\n nope = 'ready' }` | F:3: an inline table must be on one line (unterminated '{'?)",
        "`[process.web.depends_on]\\ndb = 'ready'\\nnope = 'ready'` | F:5: 'depends_on' of 'web' names no process: 'nope'",
        "`stop_signal = 'TERMINATE'`          | F:3: 'stop_signal': unknown signal \"TERMINATE\" (e.g. \"TERM\", \"INT\", \"SIGHUP\" or 15)",
        "`stop_signal = 0`                    | F:3: 'stop_signal' must be between 1 and 128, got 0",
        "`stop_signal = 1.5`                  | F:3: 'stop_signal' must be a string, got a float",
        "`stop_grace = '10'`                  | -",
        "`stop_grace = true`                  | F:3: 'stop_grace' must be a duration such as \"10s\", got a boolean",
        "`replicas = -1`                      | F:3: 'replicas' must be between 0 and 2147483647, got -1",
        "`replicas = 2.0`                     | F:3: 'replicas' must be an integer, got a float",
    })
    void badProcessValues(String extra, String message) throws Exception {
        String toml = "[process.web]\ncommand = \"x\"\n" + extra.replace("\\n", "\n").replace('\'', '"')
                + "\n[process.db]\ncommand = 'db'\n";
        if (message.equals("-")) {
            load(toml);
            return;
        }
        assertThat(error(toml)).isEqualTo(message.replace("MISSING", dir.resolve("missing.env").toString()));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
        "`[proces.web]\\ncommand = 'x'`                 | F:1: unknown key 'proces' in the top level (did you mean 'process'?)",
        "`name = 'x'`                                   | F:1: unknown key 'name' in the top level (expected [run] or [process.NAME])",
        "`run = 1`                                      | F:1: 'run' must be a table, got an integer",
        "`process = []`                                 | F:1: 'process' must be a table, got an array",
        "`[process]\\nweb = 'x'`                        | F:2: 'process.web' must be a table, got a string",
        "`[process.'my.web']\\ncommand = 'x'`           | F:1: invalid process name 'my.web' (letters, digits, '_' and '-')",
        "`[process.web]\\ncwd = 'x'`                    | F:1: [process.web] needs a 'command'",
        "`[process.web]\\ncommand = ''`                 | F:2: 'command' must not be empty",
        "`[process.web]\\ncommand = '  '`               | F:2: 'command' must not be empty",
        "`[process.web]\\ncommand = []`                 | F:2: 'command' must not be empty",
        "`[process.web]\\ncommand = ['']`               | F:2: 'command' must not be empty",
        "`[process.web]\\ncommand = ['a', 1]`           | F:2: 'command' must be a string or an array of strings, got an array with an integer",
        "`[process.web]\\ncommand = 1`                  | F:2: 'command' must be a string or an array of strings, got an integer",
        "`[run]\\nexits = 'any'`                        | F:2: unknown key 'exits' in [run] (did you mean 'exit'?)",
        "`[run]\\nexit = 'nope'\\n[process.web]\\ncommand = 'x'` | F:2: 'exit' must be \"keep-running\", \"any\" or a process name, got \"nope\" (no such process)",
        "`[run]\\nexit = 1\\n[process.web]\\ncommand = 'x'` | F:2: 'exit' must be a string, got an integer",
        "`[run]\\nsuccess = 'all'\\n[process.web]\\ncommand = 'x'` | F:2: 'success' needs 'exit' in [run]",
        "`[run]\\nexit = 'any'\\nsuccess = 'most'\\n[process.web]\\ncommand = 'x'` | F:3: 'success' must be \"first\", \"last\" or \"all\", got \"most\"",
        "`[run]\\nenv_file = 'nope.env'\\n[process.web]\\ncommand = 'x'` | F:2: 'env_file': no such file: MISSING",
    })
    void badTopLevel(String toml, String message) throws Exception {
        assertThat(error(toml.replace("\\n", "\n").replace('\'', '"')))
                .isEqualTo(message.replace("MISSING", dir.resolve("nope.env").toString()));
    }
}
