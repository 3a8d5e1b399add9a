package io.spawnkit.internal.linux;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Process groups as {@code /proc} shows them. Used only after {@code kill(-pgid, 0)} has found
 * members, to leave zombies out.
 */
final class ProcGroups {
    private static final Path PROC = Path.of("/proc");

    private ProcGroups() {}

    /**
     * True if a process of group {@code pgid} is not a zombie, or if {@code /proc} cannot tell
     * (not mounted, unreadable): the caller's {@code kill} found members, and that answer stands.
     */
    static boolean hasLiveMember(int pgid) {
        boolean sawAny = false;
        try (DirectoryStream<Path> dir = Files.newDirectoryStream(PROC)) {
            for (Path p : dir) {
                String name = p.getFileName().toString();
                if (name.isEmpty() || !Character.isDigit(name.charAt(0))) {
                    continue;
                }
                String stat;
                try {
                    stat = Files.readString(p.resolve("stat"), StandardCharsets.ISO_8859_1);
                } catch (IOException | RuntimeException gone) {
                    continue; // ended while we listed, or not ours to read
                }
                sawAny = true;
                Member m = parseStat(stat);
                if (m != null && m.pgid() == pgid && m.state() != 'Z' && m.state() != 'X') {
                    return true;
                }
            }
        } catch (IOException | RuntimeException e) {
            return true;
        }
        return !sawAny;
    }

    /** A process's state letter and process group. */
    record Member(char state, int pgid) {}

    /**
     * Parses {@code /proc/<pid>/stat}: {@code pid (comm) state ppid pgrp ...}. The command name may
     * hold spaces and parentheses, so the fields are found after the last {@code ')'}.
     * <pre>
     *   "12 (sleep) S 1 12 12 ..."          state 'S', pgid 12
     *   "13 (a) b) (c) Z 1 7 7 ..."         state 'Z', pgid 7
     *   "garbage"                           null
     * </pre>
     */
    static Member parseStat(String stat) {
        int close = stat.lastIndexOf(')');
        if (close < 0 || close + 2 >= stat.length()) {
            return null;
        }
        String[] fields = stat.substring(close + 2).split(" ", 4);
        if (fields.length < 3 || fields[0].length() != 1) {
            return null;
        }
        try {
            return new Member(fields[0].charAt(0), Integer.parseInt(fields[2]));
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
