package io.spawnkit.internal.windows;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.spawnkit.Command;
import io.spawnkit.ExitStatus;
import io.spawnkit.Output;
import io.spawnkit.SpawnException;
import io.spawnkit.testhelper.TestHelper;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

/**
 * BatBadBut on a real cmd.exe (windows-latest workflow only): a batch file that hands {@code %*} on
 * to a program gets back exactly the arguments we gave, with nothing expanded ({@code %PATH%} stays
 * text) and nothing run. The Wine oracle cannot check the {@code %} escape: Wine's cmd expands
 * {@code %PATH%} inside it (src/test/wine/README.md), so this test is its only check.
 */
@EnabledOnOs(OS.WINDOWS)
class WindowsBatchFileTest {

    @Test
    void argumentsPassThroughABatchFileUnchanged(@TempDir Path dir) throws IOException, URISyntaxException {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java.exe");
        Path classes = Path.of(TestHelper.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        Path bat = dir.resolve("forward.cmd");
        Files.writeString(bat, "@echo off\r\n\"" + java + "\" -Xmx64m -cp \"" + classes + "\" "
                + TestHelper.class.getName() + " echo %*\r\n");
        // no '*' or '?' (java.exe expands them) and no '"' (java.exe's launcher parses its command
        // line by rules of its own): the quote handling is WineOracleTest's and BatchFilesTest's
        List<String> args = List.of("%PATH%", "100%", "%%", "%cd%", "%~dp0", "!PATH!", "a&b", "x^y", "(paren)",
                "<in>", "|pipe", "two words", "trailing\\", "a,b;c=d", "plain");
        List<String> argv = new ArrayList<>(List.of(bat.toString()));
        argv.addAll(args);
        Output out = Command.of(argv).timeout(Duration.ofMinutes(2)).output();
        assertThat(out.status()).as(out.stderrText()).isEqualTo(ExitStatus.exited(0));
        List<String> got = List.of(out.stdoutText().replace("\r\n", "\n").split("\n", -1));
        assertThat(got.subList(0, got.size() - 1)).isEqualTo(args);
    }

    @Test
    void theWorkingDirectoryIsSearchedOnlyWhenAsked(@TempDir Path dir) throws IOException {
        Files.writeString(dir.resolve("spawnkit-local-tool.cmd"), "@echo off\r\necho local %1\r\n");
        assertThatThrownBy(() -> Command.of("spawnkit-local-tool", "x").directory(dir).output())
                .isInstanceOfSatisfying(SpawnException.class, e -> assertThat(e.errnoName()).isEqualTo("ENOENT"));
        Output out = Command.of("spawnkit-local-tool", "x").directory(dir).windowsSearchCurrentDirectory().output();
        assertThat(out.stdoutText().strip()).isEqualTo("local x");
    }
}
