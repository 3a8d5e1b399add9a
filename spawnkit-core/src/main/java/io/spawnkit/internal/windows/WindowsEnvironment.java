package io.spawnkit.internal.windows;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The environment block CreateProcessW takes with {@code CREATE_UNICODE_ENVIRONMENT}, built from the
 * child's NAME=VALUE entries.
 *
 * <p>Windows variable names ignore case ({@code Path} and {@code PATH} are one variable), and the
 * CreateProcess documentation asks for a block "sorted alphabetically by name, case-insensitive,
 * Unicode order, without regard to locale". The order is not cosmetic: the lookup in the child
 * (RtlQueryEnvironmentVariable) and the "=C:" drive directories assume it. We compare names the way
 * CompareStringOrdinal(..., bIgnoreCase=TRUE) does: each UTF-16 unit mapped to upper case on its own
 * (simple case mapping, no locale, no "ß" -> "SS", no 'ı' -> 'I'), then compared as unsigned numbers, a name that is
 * a prefix of another sorting first. Only names are compared, never whole entries ("A" sorts before
 * "A0" although "A=" would not before "A0=").
 *
 * <p>Contract ({@code ⏎} is NUL):
 * <pre>
 *   entries                          systemRoot     block
 *   []                               null           "⏎⏎"
 *   []                               "C:\Windows"   "SYSTEMROOT=C:\Windows⏎⏎"
 *   ["b=1", "A=2"]                   null           "A=2⏎b=1⏎⏎"              sorted ignoring case
 *   ["Path=x", "PATH=y"]             null           "Path=y⏎⏎"               one per name: the last value, the first spelling
 *   ["A=1", "A0=2", "A_=3"]          null           "A=1⏎A0=2⏎A_=3⏎⏎"        names compared, not entries
 *   ["X=1", "=C:=C:\d"]              null           "=C:=C:\d⏎X=1⏎⏎"         '=' (0x3D) sorts before letters and '_'
 *   ["SystemRoot=D:\W"]              "C:\Windows"   "SystemRoot=D:\W⏎⏎"      present ignoring case: kept
 *   ["ıd=1", "ID=2"]                 null           "ID=2⏎ıd=1⏎⏎"            dotless ı is not I (Windows' table)
 *   ["A=x=y"]                        null           "A=x=y⏎⏎"                the first '=' after position 0 ends the name
 *   ["A="]                           null           "A=⏎⏎"                   an empty value is a value
 *   ["=x"], ["==x"], ["A"], [""]     any            IllegalArgumentException (no name, or no '=')
 *   ["A\0=1"], ["A=1\0"]             any            IllegalArgumentException naming the variable
 * </pre>
 *
 * <p>Why the first spelling: Windows itself keeps a variable's existing spelling when it is set
 * again ({@code set PATH=x} in cmd leaves {@code Path=x}), and the inherited entries come first, so
 * the child sees the name its parent had, with the value the caller asked for last. Rust's
 * {@code Command::env} behaves the same (its map keeps the first key).
 *
 * <p>Why SYSTEMROOT: a child without it fails in surprising places (Winsock initialisation,
 * anything using the crypto providers), which is why libuv adds it too. Only SYSTEMROOT is added, and
 * only when the caller passes a value for it: the variables a caller removed stay removed.
 */
public final class WindowsEnvironment {
    private WindowsEnvironment() {}

    /** Orders names as Windows sorts an environment block: upper-cased UTF-16 units, unsigned. */
    static final Comparator<String> NAME_ORDER = WindowsEnvironment::compareNames;

    /**
     * The block for {@code CREATE_UNICODE_ENVIRONMENT}: see the class's contract table.
     *
     * @param entries    NAME=VALUE, in the order given (later entries override earlier ones)
     * @param systemRoot the value for SYSTEMROOT when the entries have none, or null to add nothing
     * @return UTF-16 units, every entry NUL-terminated, then one more NUL
     * @throws IllegalArgumentException an entry has no name or no '=', or holds NUL
     */
    public static char[] block(List<String> entries, String systemRoot) {
        // key: the upper-cased name; value: the entry as it goes into the block
        Map<String, String> byKey = new LinkedHashMap<>();
        for (String entry : entries) {
            int eq = separator(entry);
            String name = entry.substring(0, eq);
            String key = upper(name);
            String previous = byKey.get(key);
            byKey.put(key, previous == null ? entry
                    : previous.substring(0, separator(previous)) + entry.substring(eq));
        }
        if (systemRoot != null && !byKey.containsKey("SYSTEMROOT")) {
            String entry = "SYSTEMROOT=" + systemRoot;
            checkNoNul(entry, "SYSTEMROOT");
            byKey.put("SYSTEMROOT", entry);
        }
        List<String> keys = new ArrayList<>(byKey.keySet());
        // the keys are upper-cased already, so an unsigned comparison of them is the Windows order
        keys.sort(WindowsEnvironment::compareUnsigned);
        int length = 1;
        for (String k : keys) {
            length += byKey.get(k).length() + 1;
        }
        if (keys.isEmpty()) {
            return new char[] {'\0', '\0'};
        }
        char[] block = new char[length];
        int pos = 0;
        for (String k : keys) {
            String entry = byKey.get(k);
            entry.getChars(0, entry.length(), block, pos);
            pos += entry.length() + 1; // block[pos - 1] is already NUL
        }
        return block;
    }

    /**
     * The value of variable {@code name} in {@code entries}, the name compared ignoring case the way
     * Windows does; the last entry for it wins, as in {@link #block}. Malformed entries are skipped.
     *
     * @return the value, or null when there is no such variable
     */
    public static String get(List<String> entries, String name) {
        String key = upper(name);
        String value = null;
        for (String entry : entries) {
            int eq = entry.indexOf('=', 1);
            if (eq > 0 && upper(entry.substring(0, eq)).equals(key)) {
                value = entry.substring(eq + 1);
            }
        }
        return value;
    }

    /** The index of the '=' ending the name: the first after position 0 ("=C:=C:\dir" -> 3). */
    private static int separator(String entry) {
        int eq = entry.indexOf('=', 1);
        if (eq < 0) {
            throw new IllegalArgumentException("environment entry \"" + printable(entry) + "\" has no '='"
                    + (entry.isEmpty() ? " (it is empty)" : ""));
        }
        String name = entry.substring(0, eq);
        if (name.equals("=")) {
            throw new IllegalArgumentException("environment entry \"" + printable(entry)
                    + "\" has an empty name");
        }
        checkNoNul(entry, name);
        return eq;
    }

    private static void checkNoNul(String entry, String name) {
        if (entry.indexOf('\0') >= 0) {
            throw new IllegalArgumentException("environment variable " + printable(name)
                    + (name.indexOf('\0') >= 0 ? ": its name" : ": its value") + " contains NUL");
        }
    }

    private static String printable(String s) {
        return s.replace("\0", "\\0");
    }

    /**
     * Each UTF-16 unit to upper case on its own, as RtlUpcaseUnicodeChar does: length is kept. The two
     * non-ASCII letters whose simple upper case is ASCII, dotless 'ı' (U+0131 -> 'I') and long 'ſ'
     * (U+017F -> 'S'), are left alone: Windows' ordinal case table has no such mapping (.NET's ordinal
     * ignore-case, built to agree with Windows, removes exactly these two), so "ıD" and "ID" are two
     * variables there.
     */
    static String upper(String s) {
        char[] cs = s.toCharArray();
        for (int i = 0; i < cs.length; i++) {
            char c = cs[i];
            char u = Character.toUpperCase(c);
            cs[i] = c >= 0x80 && u < 0x80 ? c : u;
        }
        return new String(cs);
    }

    private static int compareNames(String a, String b) {
        return compareUnsigned(upper(a), upper(b));
    }

    /** UTF-16 units as unsigned numbers, a prefix first (String.compareTo does exactly this). */
    private static int compareUnsigned(String a, String b) {
        return a.compareTo(b);
    }
}
