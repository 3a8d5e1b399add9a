package io.spawnkit;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Kills whatever a test started, whether the test passed or not: register with
 * {@code @RegisterExtension final Reaper reaper = new Reaper();} and spawn through it.
 */
final class Reaper implements AfterEachCallback {
    private final List<ChildProcess> children = new ArrayList<>();
    private final List<Long> strays = new ArrayList<>();

    /** Spawns {@code command} and remembers the child. */
    synchronized ChildProcess spawn(Command command) {
        ChildProcess c = command.spawn();
        children.add(c);
        return c;
    }

    /** Remembers a child started elsewhere (a pipeline's). */
    synchronized <T extends Iterable<ChildProcess>> T track(T started) {
        started.forEach(children::add);
        return started;
    }

    /** Remembers a process that is not our child (a grandchild) to SIGKILL at the end. */
    synchronized void trackPid(long pid) {
        strays.add(pid);
    }

    @Override
    public synchronized void afterEach(ExtensionContext context) {
        for (ChildProcess c : children) {
            try {
                if (c.isAlive()) {
                    c.killTree();
                }
            } catch (RuntimeException e) {
                // the group may be gone already; kill the child alone
                c.kill();
            } finally {
                c.close();
            }
        }
        for (long pid : strays) {
            Helper.killPid(pid);
        }
        children.clear();
        strays.clear();
    }
}
