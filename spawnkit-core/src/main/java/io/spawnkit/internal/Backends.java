package io.spawnkit.internal;

import io.spawnkit.internal.jdk.JdkBackend;
import io.spawnkit.internal.linux.LinuxBackend;
import io.spawnkit.internal.windows.WindowsBackend;
import java.util.Locale;

/**
 * The one place that picks the backend, once per JVM: the system property
 * {@code spawnkit.backend=linux|windows|jdk} if set, else the native backend of this OS if it can run
 * (native access granted, the libc functions present), else the {@link ProcessBuilder} fallback,
 * with the reason logged once.
 */
public final class Backends {
    private Backends() {}

    private static final class Holder {
        static final Backend INSTANCE = choose(System.getProperty("spawnkit.backend"));
    }

    /** The backend of this JVM. */
    public static Backend get() {
        return Holder.INSTANCE;
    }

    static Backend choose(String requested) {
        String os = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
        if (requested != null && !requested.isBlank()) {
            return switch (requested.strip().toLowerCase(Locale.ROOT)) {
                case "jdk" -> new JdkBackend();
                case "linux" -> new LinuxBackend();
                case "windows" -> new WindowsBackend();
                default -> throw new IllegalArgumentException(
                        "spawnkit.backend=" + requested + ": expected linux, windows or jdk");
            };
        }
        String nativeName = os.startsWith("linux") ? "Linux" : os.startsWith("windows") ? "Windows" : null;
        if (nativeName != null) {
            try {
                return nativeName.equals("Linux") ? new LinuxBackend() : new WindowsBackend();
            } catch (IllegalCallerException | UnsatisfiedLinkError | UnsupportedOperationException
                    | ExceptionInInitializerError e) {
                // native access denied (--illegal-native-access=deny) surfaces as the bindings' class
                // failing to initialise with an IllegalCallerException inside
                Throwable why = e instanceof ExceptionInInitializerError && e.getCause() != null ? e.getCause() : e;
                Log.warn("spawnkit: the native " + nativeName + " backend cannot run ("
                        + why + "); using the ProcessBuilder fallback. Grant native access with"
                        + " --enable-native-access=io.spawnkit (or ALL-UNNAMED).");
            }
        }
        return new JdkBackend();
    }
}
