package io.spawnkit;

import static org.assertj.core.api.Assertions.assertThat;

import io.spawnkit.testhelper.StdioPermutationDriver;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

/**
 * Hazard 11, the remapping half: the child's 0, 1, 2 given as this JVM's own 0, 1, 2 in all six
 * orders (and two maps sharing one through {@link Stdio#sameAs(int)}). Every source is also a
 * target, so a plan that does not park the sources first gives two child descriptors one file.
 * This test JVM's own stdio belongs to surefire, so a driver JVM ({@link StdioPermutationDriver})
 * whose 0, 1, 2 are three files opened read-write does the spawning; each child writes a marker on
 * each of its descriptors and lists their targets. A backend that cannot pass a descriptor under
 * another number (the ProcessBuilder fallback) must refuse with UnsupportedOperationException.
 */
@EnabledOnOs(OS.LINUX)
@Tag("portable")
class StdioPermutationTest {

    @TempDir
    Path tmp;

    @Test
    void ourStdioHandedToTheChildInEveryOrderArrivesExactly() throws Exception {
        List<Path> files = new ArrayList<>();
        for (int i = 0; i <= 2; i++) {
            files.add(Files.writeString(tmp.resolve("f" + i), ""));
        }
        Path report = tmp.resolve("report");
        String redirections = "<>'" + files.get(0) + "' 1<>'" + files.get(1) + "' 2<>'" + files.get(2) + "'";
        ExitStatus driver = DriverJvm.throughShell("", redirections,
                DriverJvm.argv(StdioPermutationDriver.class, report.toString()))
                .timeout(Duration.ofMinutes(2)).status();
        assertThat(driver.isSuccess()).as("driver: %s, its stderr: %s", driver, Files.readString(files.get(2))).isTrue();
        Map<String, String> r = ClosedParentStdioTest.read(report);
        boolean jdk = DriverJvm.backend().equals("jdk");
        assertThat(r.get("backend")).isEqualTo(DriverJvm.backend());

        SoftAssertions soft = new SoftAssertions();
        List<List<String>> expectedMarkers = List.of(new ArrayList<>(), new ArrayList<>(), new ArrayList<>());
        for (String[] map : StdioPermutationDriver.MAPS) {
            String name = String.join("", map);
            boolean identity = name.equals("012");
            if (jdk && !identity) {
                soft.assertThat(r.get(name + ".unsupported")).as("%s: %s", name, r).contains("not supported by the jdk backend");
                continue;
            }
            soft.assertThat(r.get(name + ".status")).as("%s: %s", name, r).isEqualTo("exited with code 0");
            for (int n = 0; n <= 2; n++) {
                int ours = resolve(map, n);
                soft.assertThat(r.get(name + "." + n)).as("child %s's descriptor %s", name, n)
                        .isEqualTo(files.get(ours).toString());
                expectedMarkers.get(ours).add(name + ":" + n);
            }
        }
        Set<String> names = new HashSet<>();
        StdioPermutationDriver.MAPS.forEach(m -> names.add(String.join("", m)));
        for (int i = 0; i <= 2; i++) {
            // only the markers: the JVM may write warnings of its own on its stderr
            List<String> markers = Files.readAllLines(files.get(i)).stream()
                    .filter(l -> l.indexOf(':') > 0 && names.contains(l.substring(0, l.indexOf(':'))))
                    .toList();
            soft.assertThat(markers).as("what the children wrote into our descriptor %s", i)
                    .isEqualTo(expectedMarkers.get(i));
        }
        soft.assertAll();
    }

    /** Our descriptor behind child descriptor {@code n} of {@code map}. */
    private static int resolve(String[] map, int n) {
        String s = map[n];
        return s.startsWith("s") ? resolve(map, Integer.parseInt(s.substring(1))) : Integer.parseInt(s);
    }
}
