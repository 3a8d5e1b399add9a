package io.spawnkit;

import java.io.File;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Starts a driver: a JVM of its own that runs spawnkit from a parent state this test JVM must not
 * take on (closed stdio, SIGCHLD ignored, a low descriptor limit). Its class path holds spawnkit's
 * main classes and the test classes; the backend choice of this JVM ({@code spawnkit.backend},
 * {@code spawnkit.linux.pidfd}) is passed on, so the portable runs exercise every backend.
 */
final class DriverJvm {
    private DriverJvm() {}

    /** The argv of a JVM running {@code main} with {@code args}. */
    static List<String> argv(Class<?> main, String... args) {
        List<String> argv = new ArrayList<>(List.of(Helper.JAVA,
                "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xshare:auto", "-Xmx64m",
                "--enable-native-access=ALL-UNNAMED"));
        for (String p : List.of("spawnkit.backend", "spawnkit.linux.pidfd")) {
            String v = System.getProperty(p);
            if (v != null && !v.isBlank()) {
                argv.add("-D" + p + "=" + v);
            }
        }
        argv.addAll(List.of("-cp", mainClasses() + File.pathSeparator + Helper.testClasses(), main.getName()));
        argv.addAll(List.of(args));
        return argv;
    }

    /**
     * {@code sh -c 'SHELL_PREFIX exec "$@" REDIRECTIONS' sh ARGV...}: the driver started by a shell
     * that first runs {@code shellPrefix} (e.g. {@code ulimit -n 64;}) and then execs it with
     * {@code redirections} (e.g. {@code <&- 2>&-}) applied.
     */
    static Command throughShell(String shellPrefix, String redirections, List<String> driverArgv) {
        List<String> argv = new ArrayList<>(List.of("sh", "-c", shellPrefix + " exec \"$@\" " + redirections, "sh"));
        argv.addAll(driverArgv);
        return Command.of(argv);
    }

    /** The backend this JVM's tests run on, as the driver will choose it. */
    static String backend() {
        return io.spawnkit.internal.Backends.get().name();
    }

    private static Path mainClasses() {
        try {
            return Path.of(Command.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }
}
