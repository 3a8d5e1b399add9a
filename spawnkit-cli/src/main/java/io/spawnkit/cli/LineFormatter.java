package io.spawnkit.cli;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Turns a helper's line into what {@code spawnkit run} prints, foreman style: a time, the helper's
 * name padded to the longest name, a separator, the line.
 *
 * <pre>
 *   kind     plain                               with colour (ESC[..m shown as &lt;c&gt;, &lt;0&gt;)
 *   STDOUT   "12:00:01 web.1  | GET / 200"       "&lt;c&gt;12:00:01 web.1  |&lt;0&gt; GET / 200"
 *   STDERR   "12:00:01 web.1  ! Traceback ..."   "&lt;c&gt;12:00:01 web.1  &lt;0&gt;&lt;bold red&gt;!&lt;0&gt; Traceback ..."
 *   EVENT    "12:00:01 web.1  | exited with code 1"   (like STDOUT)
 *   raw      "GET / 200"                         (the line alone, always without colour)
 *   no time  "web.1  | GET / 200"
 * </pre>
 *
 * <p>{@code <c>} is the helper's colour: each name gets the next of a fixed cycle in the order the
 * names were given, {@code system} is bold. A line that carries its own escape sequences is followed
 * by a reset, so its colour does not run into the next prefix. Safe from several threads at
 * once: it keeps nothing but the prefixes made per name, in a concurrent map.
 */
final class LineFormatter {

    /** What a line is. */
    enum Kind {
        /** A line of the helper's stdout. */
        STDOUT,
        /** A line of the helper's stderr: another separator, in bold red with colour. */
        STDERR,
        /** A line spawnkit says about the helper (started, exited, ...). */
        EVENT
    }

    /** The name of spawnkit's own lines. */
    static final String SYSTEM = "system";

    static final String RESET = "\u001b[0m";
    static final String STDERR_MARK = "\u001b[1;31m";
    private static final String SYSTEM_COLOR = "\u001b[1m";
    /** cyan, yellow, green, magenta, blue, then their bright forms (red is kept for stderr). */
    private static final String[] CYCLE = {
        "\u001b[36m", "\u001b[33m", "\u001b[32m", "\u001b[35m", "\u001b[34m",
        "\u001b[96m", "\u001b[93m", "\u001b[92m", "\u001b[95m", "\u001b[94m",
    };

    private final boolean color;
    private final boolean timestamps;
    private final boolean raw;
    private final int width;
    private final Map<String, String> colors = new HashMap<>();
    /** Made on first use per name; concurrent, so the relay on the supervisor's thread needs no lock. */
    private final Map<String, Prefix> prefixes = new ConcurrentHashMap<>();

    /**
     * @param names      the helpers' names, in the order their colours are given out
     * @param color      whether to write ANSI colours
     * @param timestamps whether to start each line with {@code HH:MM:SS}
     * @param raw        whether to print the line alone (no time, name nor colour)
     */
    LineFormatter(List<String> names, boolean color, boolean timestamps, boolean raw) {
        this.color = color && !raw;
        this.timestamps = timestamps && !raw;
        this.raw = raw;
        int w = SYSTEM.length();
        for (String n : names) {
            w = Math.max(w, n.length());
        }
        this.width = w;
        for (int i = 0; i < names.size(); i++) {
            colors.putIfAbsent(names.get(i), CYCLE[i % CYCLE.length]);
        }
        colors.put(SYSTEM, SYSTEM_COLOR);
    }

    /** The width names are padded to. */
    int width() {
        return width;
    }

    /** Whether lines get colours. */
    boolean color() {
        return color;
    }

    /**
     * Appends one formatted line, as UTF-8, and its newline to {@code out}: {@code length} bytes of
     * {@code text} from {@code offset}. {@code time} is {@code HH:MM:SS} in ASCII.
     */
    void append(Bytes out, byte[] time, String name, Kind kind, byte[] text, int offset, int length) {
        if (raw) {
            out.append(text, offset, length).append((byte) '\n');
            return;
        }
        Prefix p = prefixOf(name);
        if (color) {
            out.append(p.colorBytes);
        }
        if (timestamps) {
            out.append(time).append((byte) ' ');
        }
        out.append(kind == Kind.STDERR ? p.stderrBytes : p.stdoutBytes).append(text, offset, length);
        if (color && contains(text, offset, length, (byte) 0x1b)) {
            out.append(RESET_BYTES);
        }
        out.append((byte) '\n');
    }

    private static boolean contains(byte[] a, int offset, int length, byte b) {
        for (int i = offset; i < offset + length; i++) {
            if (a[i] == b) {
                return true;
            }
        }
        return false;
    }

    private Prefix prefixOf(String name) {
        Prefix p = prefixes.get(name);
        return p != null ? p : prefixes.computeIfAbsent(name, this::prefix);
    }

    /**
     * What follows the time for one name, made once per name so that a line costs one lookup.
     *
     * @param colorBytes  the colour that starts the line (colour only)
     * @param stdoutBytes the padded name, the separator of stdout and events, and a blank
     * @param stderrBytes the same with stderr's separator
     */
    private record Prefix(byte[] colorBytes, byte[] stdoutBytes, byte[] stderrBytes) {
        Prefix(String color, String stdout, String stderr) {
            this(utf8(color), utf8(stdout), utf8(stderr));
        }
    }

    private static final byte[] RESET_BYTES = utf8(RESET);

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private Prefix prefix(String name) {
        String c = colors.getOrDefault(name, CYCLE[Math.floorMod(name.hashCode(), CYCLE.length)]);
        String padded = name.length() >= width ? name : name + " ".repeat(width - name.length());
        if (!color) {
            return new Prefix("", padded + " | ", padded + " ! ");
        }
        return new Prefix(c, padded + " |" + RESET + " ", padded + " " + RESET + STDERR_MARK + "!" + RESET + " ");
    }

    /** {@link #append} for a line given as a String. */
    void append(Bytes out, String time, String name, Kind kind, String text) {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        append(out, time.getBytes(StandardCharsets.US_ASCII), name, kind, bytes, 0, bytes.length);
    }

    /** One formatted line without its newline (for tests and messages). */
    String format(String time, String name, Kind kind, String text) {
        Bytes b = new Bytes(64 + text.length());
        append(b, time, name, kind, text);
        String line = b.toString(StandardCharsets.UTF_8);
        return line.substring(0, line.length() - 1); // without its newline
    }
}
