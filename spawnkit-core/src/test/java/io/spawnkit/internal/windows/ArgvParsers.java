package io.spawnkit.internal.windows;

import java.util.ArrayList;
import java.util.List;

/**
 * Models, written from their documented rules, of the two ways a Windows program turns its command
 * line into an argument vector: the test oracle for {@link WindowsCommandLine}. Both return the
 * program name first.
 *
 * <p>Shared rules: the first word is the program name: up to the first space or tab, or, when it
 * starts with a quote, up to the next quote; backslashes escape nothing there. In the arguments,
 * space and tab outside quotes separate; 2n backslashes before a quote give n backslashes and the
 * quote opens or closes a quoted region; 2n+1 backslashes before a quote give n backslashes and a
 * literal quote; backslashes not before a quote are literal. The one difference is {@code ""} met
 * inside a quoted region: CommandLineToArgvW gives a literal quote and leaves the region (so three
 * quotes in a row outside give one literal quote), the CRT since Visual C++ 2008 gives a literal
 * quote and stays in the region (Microsoft, "Parsing C command-line arguments").
 */
final class ArgvParsers {
    private ArgvParsers() {}

    /** shell32's CommandLineToArgvW (for a non-empty line; for "" Windows answers the exe's path). */
    static List<String> commandLineToArgvW(String line) {
        List<String> out = new ArrayList<>();
        int i = programNameByQuoteRule(line, out);
        parseArguments(line, i, false, out);
        return out;
    }

    /** The Microsoft C runtime's startup parser, Visual C++ 2008 and later (UCRT). */
    static List<String> msvcrt2008(String line) {
        List<String> out = new ArrayList<>();
        // The CRT's program name: quotes toggle a quoted region and are dropped, no escapes; the name
        // ends at a space or tab outside quotes. It agrees with the rule above for `"a b" c`, `a c`.
        StringBuilder name = new StringBuilder();
        boolean quoted = false;
        int i = 0;
        for (; i < line.length(); i++) {
            char c = line.charAt(i);
            if (c == '"') {
                quoted = !quoted;
            } else if ((c == ' ' || c == '\t') && !quoted) {
                break;
            } else {
                name.append(c);
            }
        }
        out.add(name.toString());
        parseArguments(line, i, true, out);
        return out;
    }

    private static int programNameByQuoteRule(String line, List<String> out) {
        int i;
        if (line.startsWith("\"")) {
            int end = line.indexOf('"', 1);
            if (end < 0) {
                out.add(line.substring(1));
                return line.length();
            }
            out.add(line.substring(1, end));
            i = end + 1;
        } else {
            i = 0;
            while (i < line.length() && line.charAt(i) != ' ' && line.charAt(i) != '\t') {
                i++;
            }
            out.add(line.substring(0, i));
        }
        return i;
    }

    private static void parseArguments(String line, int i, boolean crt, List<String> out) {
        int n = line.length();
        while (true) {
            while (i < n && (line.charAt(i) == ' ' || line.charAt(i) == '\t')) {
                i++;
            }
            if (i >= n) {
                return;
            }
            StringBuilder arg = new StringBuilder();
            boolean quoted = false;
            while (i < n) {
                char c = line.charAt(i);
                if ((c == ' ' || c == '\t') && !quoted) {
                    break;
                }
                if (c == '\\') {
                    int run = 0;
                    while (i < n && line.charAt(i) == '\\') {
                        run++;
                        i++;
                    }
                    if (i < n && line.charAt(i) == '"') {
                        arg.repeat('\\', run / 2);
                        if (run % 2 == 1) {
                            arg.append('"');
                            i++;
                        }
                        // with an even run the quote is handled as a quote on the next turn
                    } else {
                        arg.repeat('\\', run);
                    }
                } else if (c == '"') {
                    if (quoted && i + 1 < n && line.charAt(i + 1) == '"') {
                        arg.append('"');
                        quoted = crt; // the one difference between the two parsers
                        i += 2;
                    } else {
                        quoted = !quoted;
                        i++;
                    }
                } else {
                    arg.append(c);
                    i++;
                }
            }
            out.add(arg.toString());
        }
    }
}
