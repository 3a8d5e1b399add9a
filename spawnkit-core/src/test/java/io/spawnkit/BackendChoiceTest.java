package io.spawnkit;

import static org.assertj.core.api.Assertions.assertThat;

import io.spawnkit.testhelper.TestHelper;
import java.io.File;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

/**
 * The backend a JVM ends up with: native when it may call native code, the ProcessBuilder fallback
 * (with one warning naming the flag) when native access is denied, in a child JVM each.
 */
@EnabledOnOs(OS.LINUX)
class BackendChoiceTest {

    private static Output runHelperJvm(String nativeAccessFlag) throws Exception {
        // spawnkit's main classes (where this JVM loaded Command from) and the test helper
        String mainClasses = java.nio.file.Path.of(Command.class.getProtectionDomain().getCodeSource().getLocation().toURI())
                .toString();
        String classPath = mainClasses + File.pathSeparator + Helper.testClasses();
        List<String> argv = new ArrayList<>(List.of(Helper.JAVA, "-XX:TieredStopAtLevel=1", "-Xshare:auto",
                nativeAccessFlag, "-cp", classPath, TestHelper.class.getName(), "spawn-through-spawnkit"));
        return Command.of(argv).timeout(java.time.Duration.ofMinutes(2)).output();
    }

    @Test
    void withNativeAccessTheLinuxBackendRuns() throws Exception {
        Output out = runHelperJvm("--enable-native-access=ALL-UNNAMED");
        assertThat(out.status().isSuccess()).as(out.stderrText()).isTrue();
        assertThat(out.stdoutText().lines()).containsExactly("linux", "child-ran");
    }

    @Test
    void withNativeAccessDeniedTheFallbackRunsAndSaysWhy() throws Exception {
        Output out = runHelperJvm("--illegal-native-access=deny");
        assertThat(out.status().isSuccess()).as(out.stderrText()).isTrue();
        assertThat(out.stdoutText().lines()).containsExactly("jdk", "child-ran");
        assertThat(out.stderrText()).contains("ProcessBuilder fallback").contains("--enable-native-access");
    }
}
