package io.spawnkit.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A child's environment as the NAME=VALUE entries execve takes, with its PATH for the program
 * lookup. The entries of this JVM's own environment are built once: they cannot change (System.getenv
 * is a snapshot), and a backend may keep their native form for every later spawn (see
 * {@link #isInherited()}).
 *
 * @param entries NAME=VALUE, one per variable
 * @param path    the value of PATH, or null when there is none
 */
public record EnvBlock(List<String> entries, String path) {
    private static final boolean WINDOWS =
            System.getProperty("os.name", "").regionMatches(true, 0, "windows", 0, 7);

    private static final class Inherited {
        static final EnvBlock INSTANCE = of(System.getenv());
    }

    public EnvBlock {
        entries = List.copyOf(entries);
    }

    /** This JVM's environment, unchanged. */
    public static EnvBlock inherited() {
        return Inherited.INSTANCE;
    }

    /** True for the block of {@link #inherited()} itself. */
    public boolean isInherited() {
        return this == Inherited.INSTANCE;
    }

    /**
     * The block of {@code vars}.
     *
     * @throws IllegalArgumentException a name is empty or holds '=' or NUL, a value holds NUL; on
     *     Windows a name may start with '=' ({@code "=C:"}, a drive's working directory)
     */
    public static EnvBlock of(Map<String, String> vars) {
        List<String> entries = new ArrayList<>(vars.size());
        String path = null;
        for (Map.Entry<String, String> e : vars.entrySet()) {
            String name = e.getKey();
            String value = e.getValue();
            // Windows keeps each drive's working directory in variables named "=C:": a leading '='
            if (name.isEmpty() || name.indexOf('=', WINDOWS && name.length() > 1 ? 1 : 0) >= 0) {
                throw new IllegalArgumentException("environment variable name "
                        + (name.isEmpty() ? "is empty" : "'" + name + "' contains '='"));
            }
            requireNoNul(name, "environment variable name");
            requireNoNul(value, "value of environment variable " + name);
            entries.add(name + "=" + value);
            if (name.equals("PATH")) {
                path = value;
            }
        }
        return new EnvBlock(entries, path);
    }

    /** Refuses a string execve could not pass: C strings end at the first NUL. */
    public static void requireNoNul(String s, String what) {
        if (s.indexOf('\0') >= 0) {
            throw new IllegalArgumentException(what + " contains NUL: \"" + s.replace("\0", "\\0") + "\"");
        }
    }
}
