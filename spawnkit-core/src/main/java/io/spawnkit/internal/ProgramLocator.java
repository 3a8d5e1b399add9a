package io.spawnkit.internal;

import io.spawnkit.SpawnException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Finds the file to execute the way {@code execvp(3)} does, but with the child's PATH and the
 * child's working directory rather than this JVM's.
 *
 * <pre>
 *   name          PATH (child's)        result
 *   "ls"          "/usr/bin:/bin"       "/usr/bin/ls" (first executable regular file)
 *   "ls"          unset                 searched in "/bin:/usr/bin" (glibc's default)
 *   "tool"        ":bin" (empty = cwd)  "./tool" if executable, else "bin/tool" -- relative to the child's cwd
 *   "./run.sh"    any                   "./run.sh" unchanged, resolved by the kernel against the child's cwd
 *   "nope"        anything              SpawnException ENOENT; EACCES if only non-executable files matched
 * </pre>
 */
public final class ProgramLocator {
    /** glibc's confstr(_CS_PATH), which execvp uses when PATH is unset. */
    static final String DEFAULT_PATH = "/bin:/usr/bin";

    private ProgramLocator() {}

    /**
     * The path to execute for {@code name}.
     *
     * @param childPath the child's PATH, or null when its environment has none
     * @param directory the child's working directory, or null for this JVM's
     */
    public static String locate(String name, String childPath, Path directory, String program) {
        if (name.isEmpty()) {
            throw new SpawnException("program name is empty", program, directory, "execve", 2, "ENOENT");
        }
        if (name.indexOf('/') >= 0) {
            return name;
        }
        String path = childPath != null ? childPath : DEFAULT_PATH;
        boolean sawNotExecutable = false;
        for (String dir : path.split(":", -1)) {
            Path candidate = (dir.isEmpty() ? Path.of(name) : Path.of(dir, name));
            Path onDisk = directory != null && !candidate.isAbsolute() ? directory.resolve(candidate) : candidate;
            if (Files.isRegularFile(onDisk)) {
                if (Files.isExecutable(onDisk)) {
                    String s = candidate.toString();
                    return s.indexOf('/') >= 0 ? s : "./" + s;
                }
                sawNotExecutable = true;
            }
        }
        if (sawNotExecutable) {
            throw new SpawnException("found on PATH but not executable", program, directory, "execvp", 13, "EACCES");
        }
        throw new SpawnException("not found on the child's PATH (" + path + ")", program, directory, "execvp", 2, "ENOENT");
    }
}
