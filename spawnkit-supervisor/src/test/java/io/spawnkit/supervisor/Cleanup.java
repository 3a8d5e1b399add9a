package io.spawnkit.supervisor;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Kills whatever a test started, whether it passed or not: every supervisor built through
 * {@link #start(Supervisor.Builder)} gets {@link Supervisor#kill()}, and every process group and
 * pid handed to {@link #trackGroup(long)} or {@link #trackPid(long)} gets SIGKILL. Register with
 * {@code @RegisterExtension final Cleanup cleanup = new Cleanup();}.
 */
final class Cleanup implements AfterEachCallback {
    private final List<Supervisor> supervisors = new ArrayList<>();
    private final List<Long> pids = new ArrayList<>();
    private final List<Long> groups = new ArrayList<>();

    /** Builds, remembers and starts. */
    synchronized Supervisor start(Supervisor.Builder b) {
        Supervisor s = b.build();
        supervisors.add(s);
        return s.start();
    }

    synchronized void trackPid(long pid) {
        pids.add(pid);
    }

    synchronized void trackGroup(long pgid) {
        groups.add(pgid);
    }

    @Override
    public synchronized void afterEach(ExtensionContext context) throws Exception {
        for (Supervisor s : supervisors) {
            try {
                s.kill().get(60, TimeUnit.SECONDS);
            } catch (Exception e) {
                System.err.println("cleanup: kill of a supervisor: " + e);
            }
        }
        for (long g : groups) {
            for (long pid : liveMembers(g)) {
                ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
            }
        }
        for (long pid : pids) {
            ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
        }
        supervisors.clear();
        pids.clear();
        groups.clear();
    }

    /** The pids of the processes of group {@code pgid} that are not zombies, from /proc. */
    static List<Long> liveMembers(long pgid) {
        List<Long> found = new ArrayList<>();
        try (DirectoryStream<Path> dir = Files.newDirectoryStream(Path.of("/proc"))) {
            for (Path p : dir) {
                String name = p.getFileName().toString();
                if (!name.chars().allMatch(Character::isDigit)) {
                    continue;
                }
                String stat;
                try {
                    stat = Files.readString(p.resolve("stat"), StandardCharsets.ISO_8859_1);
                } catch (IOException gone) {
                    continue;
                }
                String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                if (!f[0].equals("Z") && !f[0].equals("X") && Long.parseLong(f[2]) == pgid) {
                    found.add(Long.parseLong(name));
                }
            }
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return found;
    }

    /** True if {@code pid} is gone or a zombie. */
    static boolean isDead(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"), StandardCharsets.ISO_8859_1);
            char state = stat.charAt(stat.lastIndexOf(')') + 2);
            return state == 'Z' || state == 'X';
        } catch (IOException gone) {
            return true;
        }
    }
}
