package io.spawnkit.internal.windows;

import io.spawnkit.SpawnException;
import java.util.List;

/**
 * Running a batch file ({@code .bat}, {@code .cmd}) safely: CreateProcessW runs one through
 * {@code cmd.exe /c}, and cmd reads the command line by rules of its own ({@code %VAR%} expansion
 * everywhere, then {@code & | < > ^ ( )} outside quotes), so arguments quoted only for the C runtime
 * let a caller's data run commands ("BatBadBut": CVE-2024-24576 in Rust, and CVE-2024-43402, where
 * {@code "x.bat "} with a trailing space escaped the batch-file check). We therefore never hand a
 * batch file to CreateProcessW: we run {@code cmd.exe} ourselves with a command line built here.
 */
public final class BatchFiles {
    private BatchFiles() {}

    /** EINVAL, the C runtime's number for it (the same on Windows and Linux). */
    private static final int EINVAL = 22;

    /**
     * Characters an argument may hold and still go unquoted. Each means nothing to cmd outside
     * quotes where an argument stands, and none is a delimiter of a batch file's {@code %1}...
     * ({@code , ; =} space and tab are: {@code a,b} would reach the script as two arguments).
     * Everything else, including every non-ASCII character (a program the script passes it on to
     * may read its command line in an ANSI code page whose best-fit mapping turns a full-width
     * quote into {@code "}), is quoted; quoting is always safe, this set only keeps common
     * arguments such as {@code -v}, {@code C:\dir\file.txt} or {@code a+b@c} readable.
     */
    private static final String UNQUOTED = "-_./\\:+@";

    /**
     * True when Windows would run {@code path} through cmd.exe: its name ends in {@code .bat} or
     * {@code .cmd} in any case, once trailing dots and spaces are dropped, because the Win32 path
     * rules drop them when the file is opened (CVE-2024-43402).
     *
     * <pre>
     * path               batch file
     * x.bat              true
     * C:\dir\X.CMD       true
     * x.Bat.             true
     * x.bat. .           true
     * x.bat   (spaces)   true
     * x.bat.exe          false
     * x.exe              false
     * xbat               false
     * x.batch            false
     * </pre>
     */
    public static boolean isBatchFile(String path) {
        int end = path.length();
        while (end > 0 && (path.charAt(end - 1) == '.' || path.charAt(end - 1) == ' ')) {
            end--;
        }
        return end >= 4 && (path.regionMatches(true, end - 4, ".bat", 0, 4)
                || path.regionMatches(true, end - 4, ".cmd", 0, 4));
    }

    /**
     * The {@code lpCommandLine} for running a batch file, with {@code lpApplicationName} =
     * {@code comSpec}:
     *
     * <pre>"&lt;comSpec&gt;" /e:ON /v:OFF /d /c ""&lt;script&gt;" &lt;arg1&gt; &lt;arg2&gt;..."</pre>
     *
     * <p>The switches: {@code /d} skips the AutoRun commands of the registry, {@code /v:OFF} turns
     * off delayed expansion (so {@code !x!} is plain text whatever the registry says), {@code /e:ON}
     * turns on command extensions, needed by the {@code %} escape below.
     *
     * <p>The outer quotes: after {@code /c}, cmd keeps the quotes as they are only when the line
     * holds exactly two of them (and a few more conditions); otherwise, when the line starts with a
     * quote, it removes that first quote and the last quote of the line. Our line always holds at
     * least four (the outer pair and the pair around the script), so cmd always removes exactly the
     * outer pair and runs {@code "<script>" <args>}, the script's name quoted.
     *
     * <p>Each argument, in order (the script reads them as {@code %1}, {@code %2}...):
     * <ul>
     * <li>{@code \r}, {@code \n} and NUL are refused: cmd ends the command at a line feed, so the
     *     rest would run as another command, and no escape exists.
     * <li>Quoted when it is empty, when it ends in a backslash (so that a script doing
     *     {@code "%~1"} and passing that on does not hand a C program an escaped quote), or when it
     *     holds any character outside letters, digits and {@code - _ . / \ : + @}.
     * <li>Inside the quotes, {@code "} is doubled: cmd toggles its quote state at every quote, so
     *     {@code ""} leaves the state as it was and no character of the argument is ever outside
     *     quotes. The CRT since 2008 reads {@code ""} inside quotes as one quote, and backslashes
     *     before a quote or before the closing quote are doubled, so a script that passes
     *     {@code %*} on to a C program passes the arguments unchanged (one visible difference: the
     *     script's own {@code %~1} of {@code a\} is {@code a\\}).
     * <li>{@code %} becomes {@code %%cd:~,%}. cmd expands {@code %NAME%} in the whole line, quotes
     *     or not, before anything else, and on a command line (unlike in a batch file)
     *     {@code %%} is no escape. What cmd does instead: at a {@code %} it looks for the next
     *     {@code %}; between two adjacent ones the name is empty, so it keeps the first as a
     *     literal {@code %} and starts again at the second; {@code %cd:~,%} is the substring
     *     syntax of command extensions applied to the dynamic variable {@code cd} (always
     *     defined), with both bounds empty, which expands to nothing. So each {@code %} of the
     *     argument comes out as one {@code %}, and no two of them can pair up around a name.
     * </ul>
     *
     * <pre>
     * argument     written
     * hello        hello
     * C:\a\b.txt   C:\a\b.txt
     * (empty)      ""
     * a b          "a b"
     * "&amp;calc.exe  """&amp;calc.exe"
     * %PATH%       "%%cd:~,%PATH%%cd:~,%"
     * a^b          "a^b"
     * |            "|"
     * !x!          "!x!"
     * a,b          "a,b"
     * a\           "a\\"
     * a\"b         "a\\""b"
     * a\nb         SpawnException (EINVAL)
     * </pre>
     *
     * <p>The script's path is quoted the same way ({@code %} escaped as above); a path holding
     * {@code "}, a control character or ending in {@code \} cannot name a file and is refused.
     * {@code BatchFilesTest} checks these rules against a model of cmd's parsing (a model, not
     * cmd itself; the wine-oracle test runs the real thing).
     *
     * @param comSpec the cmd.exe to run (the {@code ComSpec} variable, or system32's cmd.exe)
     * @param script  the batch file, as it will be found
     * @param args    the arguments after the script
     * @param program the program as the caller named it, for the exception
     * @throws SpawnException with errno name EINVAL when an argument, the script or comSpec cannot
     *         be passed safely; the message numbers arguments as the script sees them, {@code args.get(0)}
     *         being argument 1 ({@code %1})
     */
    public static String commandLine(String comSpec, String script, List<String> args, String program) {
        if (comSpec.isEmpty() || firstBadChar(comSpec, true) >= 0) {
            throw invalid(program, "the command interpreter \"" + comSpec + "\" is not a usable path");
        }
        int bad = firstBadChar(script, true);
        if (script.isEmpty() || bad >= 0 || script.endsWith("\\")) {
            throw invalid(program, "the batch file path \"" + printable(script) + "\" cannot be passed to cmd.exe"
                    + (bad >= 0 ? ": it contains " + describe(script.charAt(bad)) : ""));
        }
        StringBuilder out = new StringBuilder(64 + script.length() + 16 * args.size());
        out.append('"').append(comSpec).append("\" /e:ON /v:OFF /d /c \"\"");
        appendPercentEscaped(out, script);
        out.append('"');
        for (int i = 0; i < args.size(); i++) {
            String arg = args.get(i);
            int b = firstBadChar(arg, false);
            if (b >= 0) {
                throw invalid(program, "argument " + (i + 1) + " contains " + describe(arg.charAt(b))
                        + ", which no quoting can pass to a batch file: \"" + printable(arg) + "\"");
            }
            out.append(' ');
            appendArgument(out, arg);
        }
        return out.append('"').toString();
    }

    /** Appends one argument by the rules of {@link #commandLine}. */
    static void appendArgument(StringBuilder out, String arg) {
        boolean quote = arg.isEmpty() || arg.endsWith("\\");
        for (int i = 0; i < arg.length() && !quote; i++) {
            char c = arg.charAt(i);
            quote = !(c < 128 && (Character.isLetterOrDigit(c) || UNQUOTED.indexOf(c) >= 0));
        }
        if (!quote) {
            out.append(arg); // only safe characters: no quote, no %, nothing to escape
            return;
        }
        out.append('"');
        int backslashes = 0;
        for (int i = 0; i < arg.length(); i++) {
            char c = arg.charAt(i);
            if (c == '\\') {
                backslashes++;
                out.append(c);
                continue;
            }
            if (c == '"') {
                out.repeat('\\', backslashes).append("\"\"");
            } else if (c == '%') {
                out.append("%%cd:~,%");
            } else {
                out.append(c);
            }
            backslashes = 0;
        }
        out.repeat('\\', backslashes).append('"');
    }

    private static void appendPercentEscaped(StringBuilder out, String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '%') {
                out.append("%%cd:~,%");
            } else {
                out.append(c);
            }
        }
    }

    /**
     * The index of the first character that cannot be passed, or -1: CR, LF and NUL always; in a
     * path (the script, comSpec) also {@code "} and every other control character, which no
     * Windows file name holds.
     */
    private static int firstBadChar(String s, boolean path) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\r' || c == '\n' || c == '\0' || (path && (c == '"' || c < 0x20))) {
                return i;
            }
        }
        return -1;
    }

    private static String describe(char c) {
        String name = switch (c) {
            case '\r' -> "a carriage return";
            case '\n' -> "a line feed";
            case '\0' -> "NUL";
            case '"' -> "a quote";
            default -> "a control character";
        };
        return name + String.format(" (U+%04X)", (int) c);
    }

    private static String printable(String s) {
        return s.replace("\r", "\\r").replace("\n", "\\n").replace("\0", "\\0");
    }

    private static SpawnException invalid(String program, String detail) {
        return new SpawnException(detail, program, null, "CreateProcessW", EINVAL, "EINVAL");
    }
}
