package io.spawnkit.internal;

/**
 * spawnkit's own messages, to the {@link System.Logger} named {@code io.spawnkit}, looked up when a
 * message is logged: the lookup starts the JDK's logging (about 10-20 ms of a 2-vCPU VM), which a
 * program that never gets a message should not pay for at its first spawn.
 */
public final class Log {
    private Log() {}

    public static void warn(String message) {
        System.getLogger("io.spawnkit").log(System.Logger.Level.WARNING, message);
    }

    public static void error(String message) {
        System.getLogger("io.spawnkit").log(System.Logger.Level.ERROR, message);
    }

    public static void error(String message, Throwable t) {
        System.getLogger("io.spawnkit").log(System.Logger.Level.ERROR, message, t);
    }
}
