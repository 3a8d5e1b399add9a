package io.spawnkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** Every {@link Stdio} mode, checked from the child's side. */
class StdioTest {
    @RegisterExtension
    final Reaper reaper = new Reaper();

    @TempDir
    Path tmp;

    private static final long ME = ProcessHandle.current().pid();

    @Test
    @Tag("portable")
    void pipeBothWays() throws Exception {
        ChildProcess c = reaper.spawn(Command.of("cat").stdin(Stdio.pipe()).stdout(Stdio.pipe()));
        CompletableFuture<String> out = c.stdout().readAllText();
        c.stdin().write("hello\nworld\n").get(30, TimeUnit.SECONDS);
        c.stdin().close().get(30, TimeUnit.SECONDS);
        assertThat(out.get(30, TimeUnit.SECONDS)).isEqualTo("hello\nworld\n");
        assertThat(c.waitFor()).isEqualTo(ExitStatus.exited(0));
    }

    @Test
    @Tag("portable")
    void pipeBothWaysThroughTheHelper() throws Exception {
        ChildProcess c = reaper.spawn(Helper.command("cat").stdin(Stdio.pipe()).stdout(Stdio.pipe()));
        CompletableFuture<byte[]> out = c.stdout().readAllBytes();
        byte[] data = Helper.pattern(0, 300_000);
        try (OutputStream os = c.stdin().outputStream()) {
            os.write(data);
        }
        assertThat(out.get(60, TimeUnit.SECONDS)).isEqualTo(data);
        assertThat(c.waitFor().isSuccess()).isTrue();
    }

    @Test
    @Tag("portable")
    void inheritGivesTheChildOurOwnDescriptor() throws Exception {
        String ours = Helper.fdTarget(ME, 1);
        Output out = Command.of("sh", "-c", "t=$(readlink /proc/$$/fd/1); echo \"$t\" >&2").stdout(Stdio.inherit()).output();
        assertThat(out.stderrText().strip()).isEqualTo(ours);
        assertThat(out.stdout()).isEmpty();
    }

    @Test
    @Tag("portable")
    void defaultForSpawnIsInheritOfZeroOneTwo() throws Exception {
        ChildProcess c = reaper.spawn(Command.of("sleep", "30"));
        try {
            for (int fd = 0; fd <= 2; fd++) {
                assertThat(Helper.fdTarget(c.pid(), fd)).as("fd %d", fd).isEqualTo(Helper.fdTarget(ME, fd));
            }
            assertThatThrownBy(c::stdout).isInstanceOf(IllegalStateException.class);
            assertThatThrownBy(c::stdin).isInstanceOf(IllegalStateException.class);
        } finally {
            c.kill();
        }
    }

    @Test
    @Tag("portable")
    void ignoreIsTheNullDevice() throws Exception {
        Output out = Command.of("sh", "-c",
                        "a=$(readlink /proc/$$/fd/0); b=$(readlink /proc/$$/fd/1); echo \"$a\" >&2; echo \"$b\" >&2; cat; echo lost")
                .stdin(Stdio.ignore()).stdout(Stdio.ignore()).output();
        assertThat(out.status().isSuccess()).isTrue();
        assertThat(out.stderrText()).isEqualTo("/dev/null\n/dev/null\n");
        assertThat(out.stdout()).isEmpty();
    }

    @Test
    @Tag("portable")
    void fromPathToPathAndAppendToPath() throws Exception {
        Path in = tmp.resolve("in.txt");
        Path out = tmp.resolve("out.txt");
        Path log = tmp.resolve("log.txt");
        Files.writeString(in, "b\na\nc\n");
        Files.writeString(out, "old content that must be truncated away\n");
        Files.writeString(log, "first\n");
        ExitStatus s = Command.of("sort").stdin(Stdio.from(in)).stdout(Stdio.to(out)).status();
        assertThat(s.isSuccess()).isTrue();
        assertThat(Files.readString(out)).isEqualTo("a\nb\nc\n");
        assertThat(Command.of("echo", "second").stdout(Stdio.appendTo(log)).status().isSuccess()).isTrue();
        assertThat(Command.of("echo", "third").stdout(Stdio.appendTo(log)).status().isSuccess()).isTrue();
        assertThat(Files.readString(log)).isEqualTo("first\nsecond\nthird\n");
        Path created = tmp.resolve("created-by-append.txt");
        assertThat(Command.of("echo", "x").stdout(Stdio.appendTo(created)).status().isSuccess()).isTrue();
        assertThat(Files.readString(created)).isEqualTo("x\n");
    }

    @Test
    @Tag("portable")
    void fromAMissingFileFailsNamingIt() {
        Path missing = tmp.resolve("missing.txt");
        assertThatThrownBy(() -> Command.of("cat").stdin(Stdio.from(missing)).spawn())
                .isInstanceOf(SpawnException.class)
                .hasMessageContaining("missing.txt")
                .satisfies(e -> assertThat(((SpawnException) e).errnoName()).isEqualTo("ENOENT"));
    }

    @Test
    @Tag("portable")
    void mergeWithStdoutInterleavesBothInOnePipe() throws Exception {
        Output out = Command.of("sh", "-c", "echo one; echo two >&2; echo three")
                .stderr(Stdio.mergeWithStdout()).output();
        assertThat(out.stdoutText()).isEqualTo("one\ntwo\nthree\n");
        assertThat(out.stderr()).isEmpty();
    }

    @Test
    @Tag("portable")
    void mergeWithStdoutIntoAFile() throws Exception {
        Path f = tmp.resolve("both.txt");
        assertThat(Command.of("sh", "-c", "echo one; echo two >&2").stdout(Stdio.to(f))
                .stderr(Stdio.mergeWithStdout()).status().isSuccess()).isTrue();
        assertThat(Files.readString(f)).isEqualTo("one\ntwo\n");
    }

    @Test
    @Tag("portable")
    void bytesAndTextFeedStdin() throws Exception {
        byte[] data = Helper.pattern(0, 200_000); // more than a pipe buffer
        Output out = Command.of("cat").stdin(Stdio.bytes(data)).output();
        assertThat(out.stdout()).isEqualTo(data);
        Output text = Command.of("cat").stdin(Stdio.text("grüße\n")).output();
        assertThat(text.stdoutText()).isEqualTo("grüße\n");
        Output latin = Command.of("od", "-An", "-tx1").stdin(Stdio.text("é", StandardCharsets.ISO_8859_1)).output();
        assertThat(latin.stdoutText().strip()).isEqualTo("e9");
    }

    @Test
    @Tag("portable")
    void bytesAreCopiedWhenTheStdioIsMade() throws Exception {
        byte[] data = "before\n".getBytes(StandardCharsets.US_ASCII);
        Stdio s = Stdio.bytes(data);
        data[0] = 'X';
        assertThat(Command.of("cat").stdin(s).output().stdoutText()).isEqualTo("before\n");
    }

    @Test
    void fdOfAParentDescriptor() throws Exception {
        Path f = tmp.resolve("via-fd.txt");
        int fd = TestLibc.open(f.toString(), TestLibc.O_WRONLY | TestLibc.O_CREAT | TestLibc.O_TRUNC, 0644);
        try {
            assertThat(Command.of("sh", "-c", "echo to-one; echo to-two >&2").stdout(Stdio.fd(fd))
                    .stderr(Stdio.fd(fd)).status().isSuccess()).isTrue();
        } finally {
            TestLibc.close(fd);
        }
        assertThat(Files.readString(f)).isEqualTo("to-one\nto-two\n");
    }

    @Test
    void ofFileDescriptorErrSendsStdoutToOurStderr() throws Exception {
        String ourErr = Helper.fdTarget(ME, 2);
        Output out = Command.of("sh", "-c", "t=$(readlink /proc/$$/fd/1); echo \"$t\" >&2").stdout(Stdio.of(java.io.FileDescriptor.err))
                .output();
        assertThat(out.stderrText().strip()).isEqualTo(ourErr);
    }

    /**
     * libuv's spawn_stdout_and_stderr_to_file_swap: the child's fd A must get our fd B and its fd B
     * our fd A. Duplicating in the naive order (dup2(B, A) then dup2(A, B)) gives both the same file.
     */
    @Test
    void swappedDescriptorsLandInTheRightFiles() throws Exception {
        Path fileA = tmp.resolve("a.txt");
        Path fileB = tmp.resolve("b.txt");
        int a = TestLibc.open(fileA.toString(), TestLibc.O_WRONLY | TestLibc.O_CREAT | TestLibc.O_TRUNC, 0644);
        int b = TestLibc.open(fileB.toString(), TestLibc.O_WRONLY | TestLibc.O_CREAT | TestLibc.O_TRUNC, 0644);
        try {
            // the child's fd a is our fd b, its fd b is our fd a
            Output out = Command.of("bash", "-c", "echo into-child-fd-a >&" + a + "; echo into-child-fd-b >&" + b)
                    .fd(a, Stdio.fd(b)).fd(b, Stdio.fd(a)).output();
            assertThat(out.status().isSuccess()).as(out.stderrText()).isTrue();
        } finally {
            TestLibc.close(a);
            TestLibc.close(b);
        }
        assertThat(Files.readString(fileA)).isEqualTo("into-child-fd-b\n");
        assertThat(Files.readString(fileB)).isEqualTo("into-child-fd-a\n");
    }

    /** stdout and stderr swapped through the parent's descriptors: child fd 1 = our B-file, fd 2 = our A-file. */
    @Test
    void stdoutAndStderrToFilesSwapped() throws Exception {
        Path fileA = tmp.resolve("a.txt");
        Path fileB = tmp.resolve("b.txt");
        int a = TestLibc.open(fileA.toString(), TestLibc.O_WRONLY | TestLibc.O_CREAT | TestLibc.O_TRUNC, 0644);
        int b = TestLibc.open(fileB.toString(), TestLibc.O_WRONLY | TestLibc.O_CREAT | TestLibc.O_TRUNC, 0644);
        try {
            assertThat(Command.of("sh", "-c", "echo out; echo err >&2").stdout(Stdio.fd(b)).stderr(Stdio.fd(a))
                    .status().isSuccess()).isTrue();
        } finally {
            TestLibc.close(a);
            TestLibc.close(b);
        }
        assertThat(Files.readString(fileA)).isEqualTo("err\n");
        assertThat(Files.readString(fileB)).isEqualTo("out\n");
    }

    @Test
    void sameAsStderrSendsStdoutWhereStderrGoes() throws Exception {
        Path fileA = tmp.resolve("a.txt");
        Path fileB = tmp.resolve("b.txt");
        assertThat(Command.of("sh", "-c", "echo out; echo err >&2").stdout(Stdio.to(fileA)).stderr(Stdio.to(fileB))
                .status().isSuccess()).isTrue();
        assertThat(Files.readString(fileA)).isEqualTo("out\n");
        assertThat(Files.readString(fileB)).isEqualTo("err\n");
        assertThat(Command.of("sh", "-c", "echo out; echo err >&2").stdout(Stdio.sameAs(2)).stderr(Stdio.to(fileB))
                .status().isSuccess()).isTrue();
        assertThat(Files.readString(fileB)).isEqualTo("out\nerr\n");
    }

    @Test
    void sameAsOfAMissingOrChainedDescriptorIsRefused() {
        assertThatThrownBy(() -> Command.of("true").fd(4, Stdio.sameAs(3)).spawn())
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Command.of("true").stdout(Stdio.sameAs(2)).stderr(Stdio.sameAs(1)).spawn())
                .isInstanceOf(IllegalArgumentException.class);
    }

    /** A real OS pipe between two children: the same pipe inode, and this JVM holds no end of it. */
    @Test
    void fromAnotherChildsStdoutIsARealPipe() throws Exception {
        ChildProcess producer = reaper.spawn(Command.of("sh", "-c", "echo from-producer; exec sleep 30")
                .stdout(Stdio.pipe()));
        ChildProcess consumer = reaper.spawn(Command.of("sh", "-c", "read line; echo \"got $line\"; exec sleep 30")
                .stdin(Stdio.from(producer.stdout())).stdout(Stdio.pipe()));
        InputStream in = consumer.stdout().inputStream();
        byte[] expected = "got from-producer\n".getBytes(StandardCharsets.UTF_8);
        assertThat(in.readNBytes(expected.length)).isEqualTo(expected);
        String producerOut = Helper.fdTarget(producer.pid(), 1);
        String consumerIn = Helper.fdTarget(consumer.pid(), 0);
        assertThat(producerOut).startsWith("pipe:").isEqualTo(consumerIn);
        assertThat(Helper.ownFdTargets()).as("this JVM's descriptors").doesNotContain(producerOut);
        assertThatThrownBy(() -> producer.stdout().readAllBytes()).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void fromAStdoutThatAlreadyHasAConsumerIsRefused() {
        ChildProcess producer = reaper.spawn(Command.of("echo", "x").stdout(Stdio.pipe()));
        producer.stdout().discard();
        assertThatThrownBy(() -> reaper.spawn(Command.of("cat").stdin(Stdio.from(producer.stdout()))))
                .isInstanceOf(IllegalStateException.class);
    }

    @Test
    void duplexPipeOnFd3TalksBothWays() throws Exception {
        ChildProcess c = reaper.spawn(Command.of("sh", "-c", "read line <&3; echo \"echo:$line\" >&3")
                .fd(3, Stdio.duplexPipe()));
        CompletableFuture<String> back = c.output(3).readAllText();
        c.input(3).write("ping\n").get(30, TimeUnit.SECONDS);
        assertThat(back.get(30, TimeUnit.SECONDS)).isEqualTo("echo:ping\n");
        assertThat(Helper.eventually(java.time.Duration.ofSeconds(30), () -> !c.isAlive())).isTrue();
        assertThat(c.waitFor().isSuccess()).isTrue();
    }

    @Test
    void extraDescriptorsAreWhatTheirStdioSays() throws Exception {
        Path f5 = tmp.resolve("five.txt");
        ChildProcess c = reaper.spawn(Helper.command("write-fd", "3", "to-three")
                .fd(3, Stdio.pipe()).fd(5, Stdio.to(f5)));
        assertThat(c.output(3).readAllText().get(60, TimeUnit.SECONDS)).isEqualTo("to-three");
        assertThat(c.waitFor().isSuccess()).isTrue();
        assertThat(Files.exists(f5)).isTrue();

        ChildProcess r = reaper.spawn(Helper.command("read-fd", "4").fd(4, Stdio.readPipe()).stdout(Stdio.pipe()));
        CompletableFuture<String> echoed = r.stdout().readAllText();
        r.input(4).write("via four").get(30, TimeUnit.SECONDS);
        r.input(4).close().get(30, TimeUnit.SECONDS);
        assertThat(echoed.get(60, TimeUnit.SECONDS)).isEqualTo("via four");

        Output seen = Helper.listFdsCommand().fd(3, Stdio.pipe()).fd(7, Stdio.from(f5)).fd(9, Stdio.ignore()).output();
        assertThat(Helper.parseFds(seen.stdoutText())).containsExactly(0, 1, 2, 3, 7, 9);
    }

    @Test
    void writePipeOnFdZeroLetsTheChildWriteItsStdin() throws Exception {
        // direction CHILD_WRITES forced on fd 0: an odd but legal layout
        ChildProcess c = reaper.spawn(Command.of("sh", "-c", "echo up >&0").stdin(Stdio.writePipe()));
        assertThat(c.output(0).readAllText().get(30, TimeUnit.SECONDS)).isEqualTo("up\n");
        assertThat(c.waitFor().isSuccess()).isTrue();
    }

    @Test
    void pipeSizeIsAsked() throws Exception {
        // 256 KiB fit in a 1 MiB pipe: the child finishes before anyone reads (a 64 KiB pipe would block it)
        ChildProcess c = reaper.spawn(Command.of("head", "-c", "262144", "/dev/zero").stdout(Stdio.pipe())
                .pipeSize(1 << 20));
        assertThat(c.waitFor(java.time.Duration.ofSeconds(30))).as("exited while nobody read").isPresent();
        assertThat(c.stdout().readAllBytes().get(30, TimeUnit.SECONDS)).hasSize(262144);
    }
}
