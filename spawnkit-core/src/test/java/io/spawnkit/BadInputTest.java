package io.spawnkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the OS or we refuse: a SpawnException with errno name, program and cwd, before any child
 * exists and with nothing left behind (JDK's InvalidWorkDir, FDLeaks, Zombies).
 */
@Tag("portable")
class BadInputTest {
    @TempDir
    Path tmp;

    @Test
    void aMissingProgramIsEnoentNamingIt() {
        SpawnException e = catchThrowableOfType(SpawnException.class, () -> Command.of("no-such-program-xyz", "a").spawn());
        assertThat(e.errnoName()).isEqualTo("ENOENT");
        assertThat(e.program()).isEqualTo("no-such-program-xyz");
        assertThat(e.getMessage()).contains("no-such-program-xyz").contains("ENOENT");
    }

    @Test
    void aMissingAbsoluteProgramIsEnoent() {
        String missing = tmp.resolve("nope").toString();
        SpawnException e = catchThrowableOfType(SpawnException.class, () -> Command.of(missing).spawn());
        assertThat(e.errnoName()).isEqualTo("ENOENT");
        assertThat(e.program()).isEqualTo(missing);
    }

    @Test
    void aFileThatIsNotExecutableIsEacces() throws Exception {
        Path f = tmp.resolve("not-executable.sh");
        Files.writeString(f, "#!/bin/sh\necho hi\n");
        Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rw-r--r--"));
        SpawnException e = catchThrowableOfType(SpawnException.class, () -> Command.of(f.toString()).spawn());
        assertThat(e.errnoName()).isEqualTo("EACCES");
        assertThat(e.errno()).isEqualTo(13);
        assertThat(e.program()).isEqualTo(f.toString());
    }

    @Test
    void aDirectoryAsProgramIsEacces() {
        SpawnException e = catchThrowableOfType(SpawnException.class, () -> Command.of(tmp.toString()).spawn());
        assertThat(e.errnoName()).isEqualTo("EACCES");
        assertThat(e.program()).isEqualTo(tmp.toString());
    }

    @Test
    void aMissingWorkingDirectoryIsNamed() {
        Path missing = tmp.resolve("no-such-dir");
        SpawnException e = catchThrowableOfType(SpawnException.class,
                () -> Command.of("true").directory(missing).spawn());
        assertThat(e.directory()).contains(missing);
        assertThat(e.getMessage()).contains(missing.toString());
        assertThat(e.errnoName()).isEqualTo("ENOENT");
    }

    @Test
    void aFileAsWorkingDirectoryIsEnotdir() throws Exception {
        Path file = Files.writeString(tmp.resolve("plain"), "x");
        SpawnException e = catchThrowableOfType(SpawnException.class, () -> Command.of("true").directory(file).spawn());
        assertThat(e.errnoName()).isEqualTo("ENOTDIR");
    }

    @Test
    void nulAnywhereIsIllegal() {
        assertThatThrownBy(() -> Command.of("ec\0ho").spawn()).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Command.of("echo", "a\0b").spawn()).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("a\\0b");
        assertThatThrownBy(() -> Command.of("echo").env("NA\0ME", "v").spawn())
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Command.of("echo").env("NAME", "v\0alue").spawn())
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Command.of("echo").file("/bin/ec\0ho").spawn())
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Command.of("echo").directory(Path.of("/tmp")).arg("\0").output())
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void equalsInAnEnvNameOrAnEmptyNameIsIllegalButInAValueIsKept() {
        assertThatThrownBy(() -> Command.of("true").env("A=B", "v").spawn()).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Command.of("true").env("", "v").spawn()).isInstanceOf(IllegalArgumentException.class);
        Output out = Command.of("/usr/bin/env").envClear().env("A", "B=C").output();
        assertThat(out.stdoutText()).isEqualTo("A=B=C\n");
    }

    @Test
    void anEmptyArgvIsIllegal() {
        assertThatThrownBy(() -> Command.of(List.of())).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Command.of((String) null)).isInstanceOf(NullPointerException.class);
    }

    @Test
    void badDescriptorNumbersAreIllegal() {
        assertThatThrownBy(() -> Command.of("true").fd(-1, Stdio.pipe())).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Stdio.fd(-1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Command.of("true").timeout(Duration.ofSeconds(-1)))
                .isInstanceOf(IllegalArgumentException.class);
    }

    /**
     * Linux caps argv + envp at a quarter of the stack limit, and never above 6 MiB (fs/exec.c); 8 MiB
     * of arguments is too long whatever the limit.
     */
    @Test
    void aHugeArgumentListIsE2big() {
        List<String> args = new ArrayList<>();
        args.add("true");
        String chunk = "x".repeat(4095);
        for (int i = 0; i < 2048; i++) {
            args.add(chunk);
        }
        SpawnException e = catchThrowableOfType(SpawnException.class, () -> Command.of(args).spawn());
        assertThat(e.errnoName()).isEqualTo("E2BIG");
        assertThat(e.program()).isEqualTo("true");
    }

    @Test
    void failedSpawnsLeaveNoDescriptorAndNoZombie() throws Exception {
        Path notExecutable = Files.writeString(tmp.resolve("ne"), "x");
        Path missingIn = tmp.resolve("missing-in");
        // warm up: the backend's own descriptors (event loop, ...) and classes exist before the census
        Command.of("true").output();
        for (int i = 0; i < 4; i++) {
            spawnAndFail(i, notExecutable, missingIn);
        }
        Set<Long> childrenBefore = new java.util.HashSet<>(Helper.childPids());
        TreeSet<Integer> before = Helper.openFds();
        int failures = 0;
        for (int i = 0; i < 1000; i++) {
            failures += spawnAndFail(i, notExecutable, missingIn);
        }
        assertThat(failures).isEqualTo(1000);
        // nothing beyond what was open before (an earlier test's dropped pipe may close meanwhile)
        assertThat(Helper.eventually(Duration.ofSeconds(10), () -> before.containsAll(Helper.openFds())))
                .as("descriptors after 1,000 failed spawns: %s, before: %s", Helper.openFds(), before).isTrue();
        assertThat(Helper.zombieChildren()).isEmpty();
        assertThat(childrenBefore).containsAll(Helper.childPids());
    }

    private int spawnAndFail(int i, Path notExecutable, Path missingIn) {
        Command c = switch (i % 4) {
            case 0 -> Command.of(notExecutable.toString()).stdout(Stdio.pipe()).stderr(Stdio.pipe());
            case 1 -> Command.of("cat").stdin(Stdio.from(missingIn)).stdout(Stdio.pipe());
            case 2 -> Command.of(tmp.toString()).stdin(Stdio.pipe()).stdout(Stdio.pipe());
            default -> Command.of("no-such-program-xyz").stdout(Stdio.pipe());
        };
        try {
            ChildProcess unexpected = c.spawn();
            unexpected.killTree();
            unexpected.close();
            return 0;
        } catch (SpawnException expected) {
            return 1;
        }
    }
}
