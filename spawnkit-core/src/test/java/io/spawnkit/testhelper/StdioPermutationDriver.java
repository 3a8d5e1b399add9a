package io.spawnkit.testhelper;

import io.spawnkit.ChildProcess;
import io.spawnkit.Command;
import io.spawnkit.ExitStatus;
import io.spawnkit.Stdio;
import java.io.FileDescriptor;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Hands this JVM's own descriptors 0, 1, 2 to a child in every order (libuv's
 * {@code spawn_stdout_and_stderr_to_file_swap}, generalised): the child's 0, 1, 2 are our
 * {@code σ(0), σ(1), σ(2)} for each of the six permutations σ, plus two with a descriptor shared
 * through {@link Stdio#sameAs(int)}. A dup2 done in the wrong order gives two child descriptors the
 * same file and loses the third. Run as a child JVM by {@code StdioPermutationTest}, whose shell
 * opens three files read-write on 0, 1 and 2 ({@code <>}).
 *
 * <pre>
 *   StdioPermutationDriver REPORT
 * </pre>
 *
 * Each child (named by its map, e.g. {@code 201}: child 0 = our 2, child 1 = our 0, child 2 = our
 * 1; {@code s} for "same as") writes {@code NAME:N} on each of its descriptors N = 0, 1, 2 (into
 * whichever file that is) and lists their targets. The report has {@code NAME.N=TARGET} and
 * {@code NAME.status}, or {@code NAME.unsupported=MESSAGE} where the backend refuses the map.
 */
public final class StdioPermutationDriver {
    private StdioPermutationDriver() {}

    /** The maps, each a child descriptor 0, 1, 2 -> our descriptor, or "s" + child fd for sameAs. */
    public static final List<String[]> MAPS = List.of(
            new String[] {"0", "1", "2"}, new String[] {"0", "2", "1"}, new String[] {"1", "0", "2"},
            new String[] {"1", "2", "0"}, new String[] {"2", "0", "1"}, new String[] {"2", "1", "0"},
            new String[] {"2", "0", "s1"}, new String[] {"1", "s0", "0"});

    public static void main(String[] args) throws Exception {
        List<String> report = new ArrayList<>();
        for (String[] map : MAPS) {
            String name = String.join("", map);
            Path listing = Path.of(args[0] + "." + name);
            String script = "printf '%s:0\\n' \"$2\" >&0; printf '%s:1\\n' \"$2\"; printf '%s:2\\n' \"$2\" >&2;"
                    + " exec 9>\"$1\"; for n in 0 1 2; do t=$(readlink /proc/$$/fd/$n) || t=closed;"
                    + " echo \"$n=$t\" >&9; done";
            Command c = Command.of("sh", "-c", script, "sh", listing.toString(), name).timeout(Duration.ofSeconds(30));
            for (int fd = 0; fd <= 2; fd++) {
                c.fd(fd, stdio(fd, map[fd]));
            }
            ChildProcess child;
            try {
                child = c.spawn();
            } catch (UnsupportedOperationException e) {
                report.add(name + ".unsupported=" + e.getMessage());
                continue;
            }
            ExitStatus status;
            try {
                status = child.waitFor();
            } finally {
                child.kill();
            }
            report.add(name + ".status=" + status);
            for (String line : Files.readAllLines(listing)) {
                report.add(name + "." + line);
            }
        }
        report.add("backend=" + io.spawnkit.internal.Backends.get().name());
        Files.write(Path.of(args[0]), report, StandardCharsets.UTF_8);
        Runtime.getRuntime().halt(0);
    }

    /** Our descriptor named both ways the API offers: by FileDescriptor for 0 and 1, by number for 2. */
    private static Stdio stdio(int childFd, String source) {
        if (source.startsWith("s")) {
            return Stdio.sameAs(Integer.parseInt(source.substring(1)));
        }
        return switch (source) {
            case "0" -> Stdio.of(FileDescriptor.in);
            case "1" -> Stdio.of(FileDescriptor.out);
            default -> Stdio.fd(2);
        };
    }
}
