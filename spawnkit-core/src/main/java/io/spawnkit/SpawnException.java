package io.spawnkit;

import java.nio.file.Path;
import java.util.Optional;

/**
 * The operating system refused to start a child: the program is missing or not executable, the
 * working directory is missing, the argument list is too long, and so on. Thrown by
 * {@link Command#spawn()} before any child exists, with nothing left behind (no descriptor, no
 * zombie).
 *
 * <p>The message names everything: {@code spawn "nope": execvp: ENOENT (not found on the child's
 * PATH (/usr/bin:/bin)) [cwd /tmp]}.
 */
public final class SpawnException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final String program;
    private final transient Path directory;
    private final String syscall;
    private final int errno;
    private final String errnoName;
    private final String detail;

    /**
     * @param detail    the OS's description of the error, or ours
     * @param program   the program as the caller named it
     * @param directory the child's working directory, or null for this JVM's
     * @param syscall   the call that failed ({@code posix_spawn}, {@code chdir}, {@code open}, ...)
     * @param errno     the platform's error number, 0 when none applies
     * @param errnoName the symbolic name ({@code ENOENT}), or a Win32 error name
     */
    public SpawnException(String detail, String program, Path directory, String syscall, int errno, String errnoName) {
        super(format(detail, program, directory, syscall, errnoName));
        this.program = program;
        this.directory = directory;
        this.syscall = syscall;
        this.errno = errno;
        this.errnoName = errnoName;
        this.detail = detail;
    }

    private static String format(String detail, String program, Path directory, String syscall, String errnoName) {
        return "spawn \"" + program + "\": " + syscall + ": " + errnoName + " (" + detail + ")"
                + (directory != null ? " [cwd " + directory + "]" : "");
    }

    /** The program as the caller named it. */
    public String program() {
        return program;
    }

    /** The working directory asked for, empty when the child would have inherited this JVM's. */
    public Optional<Path> directory() {
        return Optional.ofNullable(directory);
    }

    /** The system call or step that failed, e.g. {@code posix_spawn}, {@code chdir}, {@code open}. */
    public String syscall() {
        return syscall;
    }

    /** The platform's error number. */
    public int errno() {
        return errno;
    }

    /** The error's symbolic name, e.g. {@code ENOENT}, {@code EACCES}, {@code E2BIG}. */
    public String errnoName() {
        return errnoName;
    }

    /** The description of the error alone. */
    public String detail() {
        return detail;
    }
}
