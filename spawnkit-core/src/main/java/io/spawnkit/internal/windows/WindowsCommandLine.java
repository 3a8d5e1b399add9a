package io.spawnkit.internal.windows;

import java.util.List;

/**
 * The single string CreateProcessW takes as {@code lpCommandLine}, built from an argument vector so
 * that the child, whichever of the two common parsers it uses, gets the vector back:
 * {@code CommandLineToArgvW} (shell32, used by most programs that call GetCommandLineW) and the
 * Microsoft C runtime's startup code (the rules of Visual C++ 2008 and later, the ones the UCRT
 * keeps). Windows has no argument vector of its own; the command line is all a child receives.
 *
 * <p>The two parsers agree on everything this class produces: they differ only on {@code ""} inside
 * a quoted region (the CRT gives a quote and stays quoted, CommandLineToArgvW gives a quote and
 * leaves the quoted region), and a quote is always written here as {@code \"}, never as {@code ""}.
 * {@code CommandLinePropertyTest} checks the round trip through models of both parsers.
 */
public final class WindowsCommandLine {
    private WindowsCommandLine() {}

    /**
     * The command line for CreateProcessW's {@code lpCommandLine}.
     *
     * <p>{@code argv[0]} is written by the program-name rule that both parsers apply to the first
     * word: it ends at the first space or tab, or, when it starts with a quote, at the next quote,
     * and backslashes escape nothing. So it is quoted when it holds a space or a tab or is empty,
     * and a {@code "} in it cannot be passed at all (Windows file names cannot hold one either).
     * Every other argument goes through {@link #appendQuoted}; arguments are separated by one space.
     *
     * <p>With {@code verbatim} (libuv's {@code UV_PROCESS_WINDOWS_VERBATIM_ARGUMENTS}, for children
     * with a parser of their own, such as {@code cmd.exe /c} or msiexec), the arguments after
     * {@code argv[0]} are joined with single spaces exactly as given; {@code argv[0]} is still
     * written by the program-name rule.
     *
     * <pre>
     * argv                                  verbatim   command line
     * [prog, a, b]                          false      prog a b
     * [C:\Program Files\x.exe, a]           false      "C:\Program Files\x.exe" a
     * ["", a]                               false      "" a
     * [prog, ""]                            false      prog ""
     * [prog, hello world]                   false      prog "hello world"
     * [prog, a"b]                           false      prog a\"b
     * [prog, a\b]                           false      prog a\b
     * [prog, a\"b]                          false      prog a\\\"b
     * [prog, a b\]                          false      prog "a b\\"
     * [prog, a\]                            false      prog a\
     * [prog, /c, "a b" &amp; c]                 true       prog /c "a b" &amp; c
     * [my prog, x y]                        true       "my prog" x y
     * [a"b, x]                              either     IllegalArgumentException (quote in program name)
     * [prog, a\0b]                          either     IllegalArgumentException (NUL)
     * []                                    either     IllegalArgumentException (no program)
     * </pre>
     *
     * @param argv     the program name, then the arguments
     * @param verbatim join the arguments after {@code argv[0]} without quoting
     * @throws IllegalArgumentException when argv is empty, when any string holds a NUL (it would end
     *         the command line), or when argv[0] holds a {@code "}
     */
    public static String build(List<String> argv, boolean verbatim) {
        if (argv.isEmpty()) {
            throw new IllegalArgumentException("an argument vector needs at least the program name");
        }
        String program = argv.get(0);
        for (int i = 0; i < argv.size(); i++) {
            String arg = argv.get(i);
            if (arg.indexOf('\0') >= 0) {
                throw new IllegalArgumentException("argument " + i + " of program \"" + program.replace("\0", "\\0")
                        + "\" contains NUL: \"" + arg.replace("\0", "\\0") + "\"");
            }
        }
        StringBuilder out = new StringBuilder(16 * argv.size());
        appendProgramName(out, program);
        for (int i = 1; i < argv.size(); i++) {
            out.append(' ');
            if (verbatim) {
                out.append(argv.get(i));
            } else {
                appendQuoted(out, argv.get(i));
            }
        }
        return out.toString();
    }

    /**
     * Appends a program name by the first-word rule of CommandLineToArgvW and the CRT: quoted when
     * empty or when it holds a space or a tab, unchanged otherwise.
     *
     * @throws IllegalArgumentException when it holds a {@code "}: no spelling survives the rule
     */
    static void appendProgramName(StringBuilder out, String program) {
        if (program.indexOf('"') >= 0) {
            throw new IllegalArgumentException("program name \"" + program
                    + "\" contains '\"', which a Windows command line cannot pass in the program name");
        }
        if (program.isEmpty() || program.indexOf(' ') >= 0 || program.indexOf('\t') >= 0) {
            out.append('"').append(program).append('"');
        } else {
            out.append(program);
        }
    }

    /**
     * Appends one argument (not the program name) so that CommandLineToArgvW and the CRT read it
     * back unchanged.
     *
     * <p>It is quoted when it is empty (or it would vanish) or holds a space, tab, line feed or
     * vertical tab (the parsers split on space and tab only; the other two are quoted in case a
     * parser splits on any white space, which costs nothing). A quote does not need quoting: it is
     * written {@code \"} inside or outside quotes. Backslashes are literal except in front of a
     * quote, so only a run of backslashes that ends at a quote, or at the closing quote this method
     * adds, is doubled.
     *
     * <pre>
     * argument        appended
     * hello           hello
     * (empty)         ""
     * hello world     "hello world"
     * a(TAB)b         "a(TAB)b"       (TAB: a tab character)
     * hello"world     hello\"world
     * hello""world    hello\"\"world
     * hello\world     hello\world
     * hello\\world    hello\\world
     * hello\"world    hello\\\"world
     * hello\\"world   hello\\\\\"world
     * hello world\    "hello world\\"
     * hello\          hello\          (no closing quote follows, so nothing to double)
     * "               \"
     * </pre>
     */
    static void appendQuoted(StringBuilder out, String arg) {
        boolean quote = arg.isEmpty();
        for (int i = 0; i < arg.length() && !quote; i++) {
            char c = arg.charAt(i);
            quote = c == ' ' || c == '\t' || c == '\n' || c == '\u000B';
        }
        if (quote) {
            out.append('"');
        }
        int backslashes = 0;
        for (int i = 0; i < arg.length(); i++) {
            char c = arg.charAt(i);
            if (c == '\\') {
                backslashes++;
            } else {
                if (c == '"') {
                    // 2n+1 backslashes before a quote: n literal backslashes, then a literal quote
                    out.repeat('\\', backslashes + 1);
                }
                backslashes = 0;
            }
            out.append(c);
        }
        if (quote) {
            // the closing quote must not be escaped: 2n backslashes before it read back as n
            out.repeat('\\', backslashes);
            out.append('"');
        }
    }
}
