package io.spawnkit.internal;

import io.spawnkit.Stdio;
import java.nio.file.Path;
import java.util.List;
import java.util.SortedMap;

/**
 * Everything a backend needs to start one child, already validated (no NUL anywhere, no '=' in an
 * env name, argv not empty) and resolved (the executable found on the child's PATH).
 *
 * @param argv        argv[0] and the arguments, as the child will see them
 * @param program     what the user named (argv[0], or the file to execute), for error messages
 * @param executable  the path to execute; relative paths are relative to {@code directory}
 * @param directory   the child's working directory, or null for this JVM's
 * @param env         the child's whole environment
 * @param stdio       one entry per child descriptor, 0, 1, 2 always present
 * @param newProcessGroup start the child as the leader of a new process group
 * @param newSession  start the child as the leader of a new session (and group), no terminal
 * @param pipeSize    the capacity to ask for each new pipe, or 0 for the OS default
 * @param transferred descriptors of this JVM handed over to the child (another child's pipe, from
 *                    {@link Stdio#from(io.spawnkit.ReadEnd)}): the backend closes them after the
 *                    spawn, whether it succeeded or not
 * @param windows     the options only the Windows backend reads
 * @param killOnParentExit the child (and its tree) is killed when this JVM ends, however it ends
 *                    (a job object with KILL_ON_JOB_CLOSE on Windows); only for a backend whose
 *                    {@link Backend#killsOnParentExit()} is true
 */
public record SpawnRequest(
        List<String> argv,
        String program,
        String executable,
        Path directory,
        EnvBlock env,
        SortedMap<Integer, Stdio> stdio,
        boolean newProcessGroup,
        boolean newSession,
        int pipeSize,
        List<Integer> transferred,
        WindowsOptions windows,
        boolean killOnParentExit) {

    public SpawnRequest {
        argv = List.copyOf(argv);
        transferred = List.copyOf(transferred);
        windows = windows == null ? WindowsOptions.NONE : windows;
    }

    /** True when the child will lead a process group of its own (new group or new session). */
    public boolean ownsGroup() {
        return newProcessGroup || newSession;
    }

    /** How messages name a child descriptor: "stdin", "stdout", "stderr", "fd 3". */
    public static String describeFd(int fd) {
        return switch (fd) {
            case 0 -> "stdin";
            case 1 -> "stdout";
            case 2 -> "stderr";
            default -> "fd " + fd;
        };
    }
}
