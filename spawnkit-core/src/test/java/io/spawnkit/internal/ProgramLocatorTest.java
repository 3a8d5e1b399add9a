package io.spawnkit.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.spawnkit.SpawnException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The contract table of {@link ProgramLocator}: execvp's search, with the child's PATH and directory. */
class ProgramLocatorTest {
    @TempDir
    Path tmp;

    private Path file(String rel, String perms) throws IOException {
        Path p = tmp.resolve(rel);
        Files.createDirectories(p.getParent());
        Files.writeString(p, "#!/bin/sh\n");
        Files.setPosixFilePermissions(p, PosixFilePermissions.fromString(perms));
        return p;
    }

    @Test
    void firstExecutableRegularFileOnPathWins() throws IOException {
        Path a = tmp.resolve("a");
        Path b = tmp.resolve("b");
        file("b/tool", "rwxr-xr-x");
        file("a/other", "rwxr-xr-x");
        String found = ProgramLocator.locate("tool", a + ":" + b, null, "tool");
        assertThat(found).isEqualTo(b.resolve("tool").toString());
    }

    @Test
    void nonExecutableFilesAreSkippedForALaterExecutableOne() throws IOException {
        file("a/tool", "rw-r--r--");
        file("b/tool", "rwxr-xr-x");
        String found = ProgramLocator.locate("tool", tmp.resolve("a") + ":" + tmp.resolve("b"), null, "tool");
        assertThat(found).isEqualTo(tmp.resolve("b/tool").toString());
    }

    @Test
    void directoriesOnPathNamedLikeTheProgramAreSkipped() throws IOException {
        Files.createDirectories(tmp.resolve("a/tool"));
        file("b/tool", "rwxr-xr-x");
        String found = ProgramLocator.locate("tool", tmp.resolve("a") + ":" + tmp.resolve("b"), null, "tool");
        assertThat(found).isEqualTo(tmp.resolve("b/tool").toString());
    }

    @Test
    void onlyNonExecutableMatchesGiveEacces() throws IOException {
        file("a/tool", "rw-r--r--");
        SpawnException e = catchThrowableOfType(SpawnException.class,
                () -> ProgramLocator.locate("tool", tmp.resolve("a").toString(), null, "tool"));
        assertThat(e.errnoName()).isEqualTo("EACCES");
        assertThat(e.program()).isEqualTo("tool");
    }

    @Test
    void noMatchGivesEnoentNamingTheProgramAndThePath() {
        SpawnException e = catchThrowableOfType(SpawnException.class,
                () -> ProgramLocator.locate("no-such-tool-xyz", tmp.toString(), tmp, "no-such-tool-xyz"));
        assertThat(e.errnoName()).isEqualTo("ENOENT");
        assertThat(e.errno()).isEqualTo(2);
        assertThat(e.program()).isEqualTo("no-such-tool-xyz");
        assertThat(e.directory()).contains(tmp);
        assertThat(e.getMessage()).contains("no-such-tool-xyz").contains(tmp.toString());
    }

    @Test
    void emptyPathEntryMeansTheChildsDirectory() throws IOException {
        Path dir = tmp.resolve("work");
        file("work/tool", "rwxr-xr-x");
        assertThat(ProgramLocator.locate("tool", ":/nonexistent", dir, "tool")).isEqualTo("./tool");
        assertThat(ProgramLocator.locate("tool", "/nonexistent:", dir, "tool")).isEqualTo("./tool");
    }

    @Test
    void relativePathEntriesAreResolvedAgainstTheChildsDirectoryNotOurs() throws IOException {
        Path dir = tmp.resolve("work");
        file("work/bin/tool", "rwxr-xr-x");
        assertThat(ProgramLocator.locate("tool", "bin", dir, "tool")).isEqualTo("bin/tool");
        // from this JVM's directory "bin/tool" does not exist
        SpawnException e = catchThrowableOfType(SpawnException.class,
                () -> ProgramLocator.locate("tool", "bin-" + System.nanoTime(), null, "tool"));
        assertThat(e.errnoName()).isEqualTo("ENOENT");
    }

    @Test
    void unsetPathSearchesGlibcsDefault() {
        String found = ProgramLocator.locate("sh", null, null, "sh");
        assertThat(found).isIn("/bin/sh", "/usr/bin/sh");
    }

    @Test
    void emptyPathSearchesOnlyTheDirectory() throws IOException {
        file("work/tool", "rwxr-xr-x");
        assertThat(ProgramLocator.locate("tool", "", tmp.resolve("work"), "tool")).isEqualTo("./tool");
        SpawnException e = catchThrowableOfType(SpawnException.class,
                () -> ProgramLocator.locate("sh", "", tmp.resolve("work"), "sh"));
        assertThat(e.errnoName()).isEqualTo("ENOENT");
    }

    @Test
    void namesWithASlashAreReturnedUnchanged() {
        assertThat(ProgramLocator.locate("./run.sh", "/usr/bin", null, "./run.sh")).isEqualTo("./run.sh");
        assertThat(ProgramLocator.locate("/no/such/prog", "/usr/bin", null, "/no/such/prog")).isEqualTo("/no/such/prog");
        assertThat(ProgramLocator.locate("sub/prog", null, tmp, "sub/prog")).isEqualTo("sub/prog");
    }

    @Test
    void anEmptyNameIsEnoent() {
        SpawnException e = catchThrowableOfType(SpawnException.class, () -> ProgramLocator.locate("", "/usr/bin", null, ""));
        assertThat(e.errnoName()).isEqualTo("ENOENT");
    }
}
