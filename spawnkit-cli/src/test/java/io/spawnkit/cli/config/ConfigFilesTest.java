package io.spawnkit.cli.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.entry;
import static org.junit.jupiter.api.Assumptions.assumeFalse;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.spawnkit.supervisor.Readiness;
import io.spawnkit.supervisor.RestartPolicy;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigFilesTest {
    private static final Map<String, String> OUTSIDE = Map.of("HOME", "/home/me");

    @TempDir
    Path dir;

    private Path write(String name, String text) throws IOException {
        return Files.writeString(dir.resolve(name), text);
    }

    @Test
    void aProcfileWithEnvFiles() throws Exception {
        Path procfile = write("Procfile", "web: python3 -m http.server $PORT\n\nworker: ./work\n");
        Path a = write("a.env", "PORT=5000\nDATA=$HOME/data\n");
        Path b = write("b.env", "PORT=6000\nURL=http://localhost:${PORT}/\n");
        RunConfig c = ConfigFiles.loadProcfile(procfile, List.of(a, b), OUTSIDE::get);
        assertThat(c.exitPolicy()).isNull();
        assertThat(c.processes()).hasSize(2);
        ProcessConfig web = c.processes().get(0);
        assertThat(web.name()).isEqualTo("web");
        assertThat(web.argv()).containsExactly("/bin/sh", "-c", "python3 -m http.server $PORT");
        assertThat(web.env()).containsExactly(entry("PORT", "6000"), entry("DATA", "/home/me/data"),
                entry("URL", "http://localhost:6000/"));
        assertThat(web.source()).isEqualTo(procfile + ":1");
        assertThat(web.restart()).isEqualTo(RestartPolicy.no());
        assertThat(web.readiness()).isEqualTo(Readiness.started());
        assertThat(web.directory()).isNull();
        ProcessConfig worker = c.processes().get(1);
        assertThat(worker.name()).isEqualTo("worker");
        assertThat(worker.env()).isEqualTo(web.env());
        assertThat(worker.source()).isEqualTo(procfile + ":3");
    }

    @Test
    void withoutEnvFilesTheDefaultIsReadOnlyIfItExists() throws Exception {
        assumeFalse(Files.exists(ConfigFiles.DEFAULT_ENV_FILE), "a .env in the test's working directory");
        Path procfile = write("Procfile", "web: x\n");
        assertThat(ConfigFiles.loadProcfile(procfile, List.of()).processes().getFirst().env()).isEmpty();
    }

    @Test
    void aGivenEnvFileMustExist() throws Exception {
        Path procfile = write("Procfile", "web: x\n");
        Path missing = dir.resolve("missing.env");
        assertThatThrownBy(() -> ConfigFiles.loadProcfile(procfile, List.of(missing)))
                .isInstanceOf(ConfigException.class)
                .hasMessage(missing + ": no such file");
    }

    @Test
    void errorsNameTheFileAndLine() throws Exception {
        Path procfile = write("Procfile", "web: x\nweb: y\n");
        assertThatThrownBy(() -> ConfigFiles.loadProcfile(procfile, List.of()))
                .hasMessage(procfile + ":2: duplicate process name 'web' (first on line 1)");
        Path good = write("Procfile.good", "web: x\n");
        Path env = write("bad.env", "\n\nA='x\n");
        assertThatThrownBy(() -> ConfigFiles.loadProcfile(good, List.of(env)))
                .hasMessage(env + ":3: unterminated single-quoted value");
    }

    @Test
    void aRelativeNameStaysRelativeInMessages() {
        assertThatThrownBy(() -> ConfigFiles.loadProcfile(Path.of("no-such-dir/Procfile"), List.of()))
                .hasMessage("no-such-dir/Procfile: no such file");
        assertThatThrownBy(() -> ConfigFiles.loadToml(Path.of("no-such-dir/spawnkit.toml")))
                .hasMessage("no-such-dir/spawnkit.toml: no such file");
    }

    @Test
    void anEmptyProcfile() throws Exception {
        Path procfile = write("Procfile", "# nothing yet\n");
        assertThatThrownBy(() -> ConfigFiles.loadProcfile(procfile, List.of()))
                .hasMessage(procfile + ": no processes defined");
    }

    @Test
    void aDirectoryIsNotAFile() {
        assertThatThrownBy(() -> ConfigFiles.loadProcfile(dir, List.of()))
                .hasMessage(dir + ": is a directory");
    }

    @Test
    void invalidUtf8() throws Exception {
        Path procfile = Files.write(dir.resolve("Procfile"), new byte[] {'w', ':', ' ', (byte) 0xC3, '\n'});
        assertThatThrownBy(() -> ConfigFiles.loadProcfile(procfile, List.of()))
                .hasMessage(procfile + ": not valid UTF-8");
    }

    @Test
    void aByteOrderMarkIsDropped() throws Exception {
        Path procfile = Files.write(dir.resolve("Procfile"), "\uFEFFweb: x\n".getBytes(StandardCharsets.UTF_8));
        assertThat(ConfigFiles.loadProcfile(procfile, List.of()).processes().getFirst().name()).isEqualTo("web");
        Path toml = Files.write(dir.resolve("s.toml"),
                "\uFEFF[process.web]\ncommand = \"x\"\n".getBytes(StandardCharsets.UTF_8));
        assertThat(ConfigFiles.loadToml(toml).processes().getFirst().name()).isEqualTo("web");
    }

    /** The first example of {@code docs/spawnkit-toml.md}, read from the file itself. */
    @Test
    void theDocumentedExampleLoads() throws Exception {
        Path doc = Path.of("../docs/spawnkit-toml.md");
        assumeTrue(Files.exists(doc), "docs/ beside the module");
        String md = Files.readString(doc);
        int from = md.indexOf("```toml\n") + "```toml\n".length();
        String example = md.substring(from, md.indexOf("```", from));
        write(".env", "DATABASE_URL=postgres://localhost/dev\n");
        RunConfig c = ConfigFiles.loadToml(write("spawnkit.toml", example));
        assertThat(c.processes()).extracting(ProcessConfig::name).containsExactly("db", "migrate", "web");
        assertThat(c.processes().get(2).env())
                .containsExactly(entry("DATABASE_URL", "postgres://localhost/dev"), entry("DEBUG", "1"));
        assertThat(c.processes().get(2).replicas()).isEqualTo(2);
        assertThat(c.exitPolicy()).isEqualTo(io.spawnkit.supervisor.ExitPolicy.stopAllWhenEnds("web"));
    }

    /** The .env example of {@code docs/spawnkit-toml.md}, read from the file itself. */
    @Test
    void theDocumentedEnvExampleReads() throws Exception {
        Path doc = Path.of("../docs/spawnkit-toml.md");
        assumeTrue(Files.exists(doc), "docs/ beside the module");
        String md = Files.readString(doc);
        int from = md.indexOf("```sh\n# a comment") + "```sh\n".length();
        Path env = write("example.env", md.substring(from, md.indexOf("```", from)));
        assertThat(ConfigFiles.readEnvFiles(List.of(env), OUTSIDE::get)).containsExactly(
                entry("PORT", "5000"),
                entry("HOST", "127.0.0.1"),
                entry("NAME", "some value"),
                entry("LITERAL", "no $expansion, no \\n escapes"),
                entry("MESSAGE", "tab:\t newline:\n quote:\" dollar:$ backslash:\\"),
                entry("URL", "http://127.0.0.1:5000/"),
                entry("MULTI", "first line\nsecond line"));
    }
}
