package io.spawnkit.internal.windows;

import io.spawnkit.SpawnException;
import io.spawnkit.internal.EnvBlock;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/**
 * Finds the file a program name runs on Windows, with the child's PATH, PATHEXT and working
 * directory rather than this JVM's, before CreateProcessW is called with the result as
 * lpApplicationName (so CreateProcessW itself searches nothing).
 *
 * <p>Windows has no execvp: CreateProcessW looks a bare name up in the parent's directories (the
 * application's directory, the parent's current directory, System32, ... then the parent's PATH) and
 * appends only ".exe"; cmd.exe searches its PATH and tries every PATHEXT extension. We follow libuv's
 * search_path, which follows cmd.exe, with two differences: PATHEXT is used (so a ".bat" or ".cmd" is
 * found, and the backend runs it through cmd.exe, see BatchFiles), and the current directory is only
 * searched when asked (cmd's habit, and a classic hijack: Windows' own
 * NoDefaultCurrentDirectoryInExePath and Rust's Command leave it out).
 *
 * <p>Contract (PATH "C:\bin;D:\tools", PATHEXT ".COM;.EXE;.BAT;.CMD", directory "C:\work"):
 * <pre>
 *   name               tried, in order (the first that isFile)                        note
 *   "tool"             C:\bin\tool.COM, C:\bin\tool.EXE, C:\bin\tool.BAT, C:\bin\tool.CMD,
 *                      D:\tools\tool.COM, ...                                           PATHEXT order within a directory
 *   "tool" (+cwd)      C:\work\tool.COM, ... then as above                             searchCurrentDirectory = true
 *   "tool.exe"         C:\bin\tool.exe, C:\bin\tool.exe.COM, ..., D:\tools\tool.exe, ...  an extension: the name itself first
 *   "tool."            C:\bin\tool., C:\bin\tool.COM, ...                              a trailing dot: no doubled dot
 *   "sub\tool"         C:\work\sub\tool.COM, ... (PATH is not searched)                 relative: against the directory
 *   "C:\x\tool.exe"    C:\x\tool.exe, C:\x\tool.exe.COM, ...                           absolute: as is
 *   "\x\tool"          C:\x\tool.COM, ...                                              rooted: on the directory's drive
 *   "C:tool"           C:\work\tool.COM, ...                                           drive-relative, same drive as the directory
 *   "D:tool"           D:tool.COM, ...                                                 other drive: left to that drive's cwd
 *   "" or "."          SpawnException ENOENT
 *   nothing found      SpawnException ENOENT naming the PATH and the extensions tried
 * </pre>
 *
 * <p>The details:
 * <ul>
 *   <li>A name holding '\', '/' or ':' has a directory part and is never searched on PATH. When the
 *       directory is null (the child shares this JVM's working directory) a relative name stays
 *       relative: CreateProcessW resolves lpApplicationName against this JVM's directory, which is
 *       then the child's too. A relative directory stays relative the same way.
 *   <li>PATH is split on ';' except inside double quotes ({@code "C:\a;b"} is one directory), and the
 *       quotes are removed, as cmd.exe does; empty entries are skipped; a trailing '\' or '/' is not
 *       doubled; a relative entry is taken against the directory. A null PATH searches nothing (no
 *       implicit System32: the caller's environment is the whole truth).
 *   <li>PATHEXT is split on ';', empty entries skipped, a missing leading '.' added; when PATHEXT is
 *       null or has no entry, ".COM;.EXE;.BAT;.CMD" (cmd.exe's default). Extensions are appended, never
 *       substituted, in PATHEXT's case: Windows file names ignore case.
 *   <li>A name whose last part holds a '.' is tried as is before the extensions (CreateProcessW would
 *       run "tool.exe" and "script.py" alike); a name without one is never tried bare, since
 *       CreateProcessW would append ".exe" to it anyway.
 * </ul>
 */
public final class WindowsProgramLocator {
    /** cmd.exe's PATHEXT when the variable is unset. */
    static final String DEFAULT_PATHEXT = ".COM;.EXE;.BAT;.CMD";

    private WindowsProgramLocator() {}

    /**
     * The lookup the backends make: {@code name} with the child's PATH and PATHEXT (names compared
     * ignoring case, as Windows does), against this machine's files.
     *
     * @param env       the child's environment
     * @param directory the child's working directory, or null for this JVM's
     * @param searchCurrentDirectory search the working directory first (cmd.exe's habit; off by default)
     * @throws SpawnException ENOENT when nothing matches
     */
    public static String locate(String name, EnvBlock env, Path directory, boolean searchCurrentDirectory,
            String program) {
        return locate(name, WindowsEnvironment.get(env.entries(), "PATH"),
                WindowsEnvironment.get(env.entries(), "PATHEXT"), directory == null ? null : directory.toString(),
                searchCurrentDirectory, WindowsProgramLocator::isFileOnDisk, program);
    }

    private static boolean isFileOnDisk(String path) {
        try {
            return Files.isRegularFile(Path.of(path));
        } catch (InvalidPathException e) {
            return false;
        }
    }

    /**
     * The path to give CreateProcessW as lpApplicationName for {@code name}.
     *
     * @param name                   the program as named by the caller (argv[0] or the explicit program)
     * @param path                   the child's PATH, or null when its environment has none
     * @param pathExt                the child's PATHEXT, or null for ".COM;.EXE;.BAT;.CMD"
     * @param directory              the child's working directory, or null for this JVM's
     * @param searchCurrentDirectory search the directory before PATH for a bare name, as cmd.exe does
     * @param isFile                 whether a path names an existing file (not a directory)
     * @param program                the program as the caller named it, for the exception
     * @throws SpawnException ENOENT when nothing matches
     */
    public static String locate(String name, String path, String pathExt, String directory,
            boolean searchCurrentDirectory, Predicate<String> isFile, String program) {
        if (name.isEmpty() || name.equals(".")) {
            throw notFound("program name is " + (name.isEmpty() ? "empty" : "\".\""), program, directory);
        }
        List<String> extensions = extensions(pathExt);
        List<String> tried = new ArrayList<>();
        if (hasDirectory(name)) {
            String found = tryNames(resolve(name, directory), extensions, isFile, tried);
            if (found != null) {
                return found;
            }
            throw notFound("no such file: tried " + String.join(", ", tried), program, directory);
        }
        if (searchCurrentDirectory) {
            String found = tryNames(directory == null ? ".\\" + name : join(directory, name), extensions,
                    isFile, tried);
            if (found != null) {
                return found;
            }
        }
        if (path != null) {
            for (String dir : pathEntries(path)) {
                String found = tryNames(join(resolveDirectory(dir, directory), name), extensions, isFile, tried);
                if (found != null) {
                    return found;
                }
            }
        }
        String where = (searchCurrentDirectory ? "not in the current directory nor " : "not ")
                + (path == null ? "on the child's PATH (it has none)" : "on the child's PATH (" + path + ")");
        throw notFound(where + " with the extensions " + String.join(";", extensions), program, directory);
    }

    /** Tries {@code base} as is when its last part has a '.', then with each extension appended. */
    private static String tryNames(String base, List<String> extensions, Predicate<String> isFile, List<String> tried) {
        if (lastPart(base).indexOf('.') >= 0 && test(base, isFile, tried)) {
            return base;
        }
        // "tool." + ".EXE" is "tool.EXE": the trailing dot means "no extension", never a doubled dot
        String stem = base.endsWith(".") ? base.substring(0, base.length() - 1) : base;
        for (String ext : extensions) {
            String candidate = stem + ext;
            if (test(candidate, isFile, tried)) {
                return candidate;
            }
        }
        return null;
    }

    private static boolean test(String candidate, Predicate<String> isFile, List<String> tried) {
        tried.add(candidate);
        return isFile.test(candidate);
    }

    private static String lastPart(String s) {
        int i = s.length();
        while (i > 0 && !isSeparator(s.charAt(i - 1)) && s.charAt(i - 1) != ':') {
            i--;
        }
        return s.substring(i);
    }

    private static boolean isSeparator(char c) {
        return c == '\\' || c == '/';
    }

    static boolean hasDirectory(String name) {
        return name.indexOf('\\') >= 0 || name.indexOf('/') >= 0 || name.indexOf(':') >= 0;
    }

    /** "X:" at the start: a drive letter. */
    private static boolean hasDrive(String s) {
        return s.length() >= 2 && s.charAt(1) == ':' && Character.isLetter(s.charAt(0));
    }

    /** Absolute: "C:\x", "C:/x", or a UNC or device path "\\server\share", "\\?\C:\x". */
    private static boolean isAbsolute(String s) {
        return (hasDrive(s) && s.length() >= 3 && isSeparator(s.charAt(2)))
                || (s.length() >= 2 && isSeparator(s.charAt(0)) && isSeparator(s.charAt(1)));
    }

    /** A name with a directory part, taken against the child's directory the way Windows would. */
    static String resolve(String name, String directory) {
        if (directory == null || isAbsolute(name)) {
            return name;
        }
        if (isSeparator(name.charAt(0))) {
            // rooted "\x": the root of the directory's drive (or of its UNC share; left as is then)
            return hasDrive(directory) ? directory.substring(0, 2) + name : name;
        }
        if (hasDrive(name)) {
            // drive-relative "C:x": against the directory when it is on that drive, else that drive's
            // own working directory, which only Windows knows (the "=D:" variable): left as is
            return hasDrive(directory) && Character.toUpperCase(directory.charAt(0))
                    == Character.toUpperCase(name.charAt(0)) ? join(directory, name.substring(2)) : name;
        }
        return join(directory, name);
    }

    /** A PATH entry, relative ones taken against the child's directory. */
    private static String resolveDirectory(String dir, String directory) {
        if (directory == null || isAbsolute(dir)) {
            return dir;
        }
        if (isSeparator(dir.charAt(0)) || hasDrive(dir)) {
            return resolve(dir, directory);
        }
        return join(directory, dir);
    }

    /** dir + '\' + name, with no doubled separator after "C:\bin\" and none added after "C:". */
    static String join(String dir, String name) {
        if (dir.isEmpty() || isSeparator(dir.charAt(dir.length() - 1))
                || (dir.length() == 2 && hasDrive(dir))) {
            return dir + name;
        }
        return dir + "\\" + name;
    }

    /** PATH's directories: split on ';' outside double quotes, quotes removed, empty ones skipped. */
    static List<String> pathEntries(String path) {
        List<String> out = new ArrayList<>();
        StringBuilder cur = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i <= path.length(); i++) {
            char c = i < path.length() ? path.charAt(i) : ';';
            if (c == '"') {
                quoted = !quoted;
            } else if (c == ';' && (!quoted || i == path.length())) {
                if (!cur.isEmpty()) {
                    out.add(cur.toString());
                }
                cur.setLength(0);
                quoted = false;
            } else {
                cur.append(c);
            }
        }
        return out;
    }

    /** PATHEXT's extensions, each starting with '.'; cmd.exe's default when there are none. */
    static List<String> extensions(String pathExt) {
        List<String> out = new ArrayList<>();
        if (pathExt != null) {
            for (String e : pathExt.split(";")) {
                if (!e.isEmpty()) {
                    out.add(e.startsWith(".") ? e : "." + e);
                }
            }
        }
        return out.isEmpty() ? extensions(DEFAULT_PATHEXT) : out;
    }

    private static SpawnException notFound(String detail, String program, String directory) {
        return new SpawnException(detail, program, asPath(directory), "CreateProcessW", 2, "ENOENT");
    }

    /** The directory for the exception's message; a string this OS cannot hold as a Path is dropped. */
    private static Path asPath(String directory) {
        if (directory == null) {
            return null;
        }
        try {
            return Path.of(directory);
        } catch (InvalidPathException e) {
            return null;
        }
    }
}
