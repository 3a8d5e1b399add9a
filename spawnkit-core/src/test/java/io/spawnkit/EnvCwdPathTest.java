package io.spawnkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The child's environment, working directory, and the PATH lookup done with the child's PATH. */
@Tag("portable")
class EnvCwdPathTest {
    @TempDir
    Path tmp;

    private static Map<String, String> envOf(Output out) {
        Map<String, String> env = new java.util.TreeMap<>();
        for (String line : out.stdoutText().split("\n")) {
            int eq = line.indexOf('=');
            if (eq > 0) {
                env.put(line.substring(0, eq), line.substring(eq + 1));
            }
        }
        return env;
    }

    private Path script(Path dir, String name, String body) throws Exception {
        Files.createDirectories(dir);
        Path p = dir.resolve(name);
        Files.writeString(p, "#!/bin/sh\n" + body + "\n");
        Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwxr-xr-x"));
        return p;
    }

    @Test
    void theEnvironmentIsInheritedByDefault() {
        Map<String, String> env = envOf(Command.of("env").output());
        Map<String, String> ours = new java.util.TreeMap<>(System.getenv());
        ours.values().removeIf(v -> v.contains("\n")); // env(1) output cannot frame those
        assertThat(env).containsAllEntriesOf(ours);
    }

    @Test
    void putRemoveAndClear() {
        String someInherited = System.getenv().keySet().stream().filter(k -> !k.equals("PATH")).findFirst().orElseThrow();
        Map<String, String> env = envOf(Command.of("env").env("SPAWNKIT_A", "1").env(Map.of("SPAWNKIT_B", "two words"))
                .envRemove(someInherited).output());
        assertThat(env).containsEntry("SPAWNKIT_A", "1").containsEntry("SPAWNKIT_B", "two words")
                .doesNotContainKey(someInherited);

        Output cleared = Command.of("/usr/bin/env").envClear().env("ONLY", "this").output();
        assertThat(cleared.stdoutText()).isEqualTo("ONLY=this\n");

        Command c = Command.of("env").env("SPAWNKIT_GONE", "x");
        c.environment().put("SPAWNKIT_MAP", "via map");
        c.envInherit();
        assertThat(envOf(c.output())).doesNotContainKey("SPAWNKIT_GONE").doesNotContainKey("SPAWNKIT_MAP");
    }

    @Test
    void theEnvironmentMapIsTheSameThingAsTheSetters() {
        Command c = Command.of("env");
        c.environment().put("SPAWNKIT_MAP", "via map");
        c.env("SPAWNKIT_SET", "via setter");
        assertThat(c.environment()).containsEntry("SPAWNKIT_SET", "via setter");
        assertThat(envOf(c.output())).containsEntry("SPAWNKIT_MAP", "via map").containsEntry("SPAWNKIT_SET", "via setter");
    }

    @Test
    void anEqualsSignInAValueIsKeptAndUnicodeSurvives() {
        Output out = Command.of("/usr/bin/env").envClear().env("EQ", "a=b=c").env("UNI", "grüße €").output();
        assertThat(envOf(out)).containsEntry("EQ", "a=b=c").containsEntry("UNI", "grüße €");
    }

    @Test
    void theHelperSeesTheVariable() {
        assertThat(Helper.command("env", "SPAWNKIT_HELPER").env("SPAWNKIT_HELPER", "seen").output().stdoutText())
                .isEqualTo("seen\n");
        assertThat(Helper.command("env", "SPAWNKIT_HELPER").envRemove("SPAWNKIT_HELPER").output().stdoutText())
                .isEqualTo("<unset>\n");
    }

    @Test
    void theWorkingDirectoryIsSet() throws Exception {
        Path real = tmp.toRealPath();
        assertThat(Command.of("pwd").directory(tmp).output().stdoutText().strip()).isEqualTo(real.toString());
        assertThat(Helper.command("pwd").directory(tmp).output().stdoutText().strip()).isEqualTo(real.toString());
        assertThat(Command.of("pwd").output().stdoutText().strip())
                .isEqualTo(Path.of("").toAbsolutePath().toRealPath().toString());
    }

    @Test
    void programsAreLookedUpOnTheChildsPathNotOurs() throws Exception {
        Path bin = tmp.resolve("private-bin");
        script(bin, "mytool", "echo mytool ran with \"$@\"");
        String ourPath = System.getenv().getOrDefault("PATH", "");
        assertThat(Arrays.asList(ourPath.split(File.pathSeparator))).doesNotContain(bin.toString());
        Output out = Command.of("mytool", "x").env("PATH", bin + ":/usr/bin:/bin").output();
        assertThat(out.stdoutText()).isEqualTo("mytool ran with x\n");
        assertThatThrownBy(() -> Command.of("mytool").spawn())
                .isInstanceOf(SpawnException.class)
                .satisfies(e -> assertThat(((SpawnException) e).errnoName()).isEqualTo("ENOENT"));
    }

    @Test
    void aChildWithoutPathSearchesTheDefault() {
        Output out = Command.of("sh", "-c", "echo ok").envClear().output();
        assertThat(out.stdoutText()).isEqualTo("ok\n");
    }

    @Test
    void relativeProgramsAndPathEntriesAreRelativeToTheChildsDirectory() throws Exception {
        Path work = tmp.resolve("work");
        script(work, "prog", "echo prog in \"$(pwd)\"");
        script(work.resolve("tools"), "helper-tool", "echo helper-tool");
        Path real = work.toRealPath();
        assertThat(Command.of("./prog").directory(work).output().stdoutText()).isEqualTo("prog in " + real + "\n");
        assertThat(Command.of("helper-tool").directory(work).env("PATH", "tools:/usr/bin:/bin").output().stdoutText())
                .isEqualTo("helper-tool\n");
        // from this JVM's directory neither exists
        assertThat(Files.exists(Path.of("prog"))).isFalse();
    }

    @Test
    void argumentsArriveExactly() {
        String[] args = {"", " ", "two words", "quote\"s", "'single'", "back\\slash", "$HOME", "*", "ü€😀", "a\nb", "-"};
        // the child JVM decodes argv in its locale's charset
        Output out = Helper.command("echo", args).env("LC_ALL", "C.UTF-8").output();
        StringBuilder expected = new StringBuilder();
        for (String a : args) {
            expected.append(a).append('\n');
        }
        assertThat(out.stdoutText()).isEqualTo(expected.toString());
    }
}
