/**
 * spawnkit: child processes for Java with every option of how a child starts, what it inherits and
 * how we talk to it, asynchronous from end to end on one event-loop thread.
 *
 * <p>The module reaches the operating system through the Foreign Function &amp; Memory API; grant it
 * native access with {@code --enable-native-access=io.spawnkit} (or {@code ALL-UNNAMED} on the class
 * path). Without native access it falls back to a {@link java.lang.ProcessBuilder} backend.
 */
module io.spawnkit {
    exports io.spawnkit;
    exports io.spawnkit.os;
    exports io.spawnkit.worker;
}
