package io.spawnkit.supervisor;

import io.spawnkit.ChildProcess;
import io.spawnkit.Signal;
import java.util.LinkedHashSet;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How a helper's processes are signalled and watched: its process group where the backend has
 * them, else the leader and the descendants we have seen. Called on the supervisor's thread only;
 * never throws (a failure is logged: the stop goes on).
 */
interface GroupControl {

    /** Sends {@code signal} to every process of the helper. */
    void signal(Signal signal);

    /** True while a process of the helper (leader, or one left behind in its group) runs. */
    boolean alive();

    /** Called about once a second while the leader runs. */
    default void tick() {}

    /** Whether {@code signal} can be sent at all (the fallback knows TERM and KILL only). */
    default boolean supports(Signal signal) {
        return true;
    }

    /** The process group the helper leads (native backends). */
    final class ProcessGroup implements GroupControl {
        private static final Logger LOG = LoggerFactory.getLogger(Supervisor.class);
        private final ChildProcess child;

        ProcessGroup(ChildProcess child) {
            this.child = child;
        }

        @Override
        public void signal(Signal signal) {
            try {
                child.killGroup(signal);
            } catch (RuntimeException e) {
                // EPERM: a member changed its user (a setuid program); the others got it
                LOG.warn("signal {} to process group {}: {}", signal, child.pid(), e.getMessage());
            }
        }

        @Override
        public boolean alive() {
            try {
                return child.groupAlive();
            } catch (RuntimeException e) {
                LOG.warn("looking for processes of group {}: {}", child.pid(), e.getMessage());
                return child.isAlive();
            }
        }
    }

    /**
     * The JDK fallback backend has no process groups: the leader and its descendants
     * ({@link ProcessHandle#descendants()}), looked up again at every signal, at every check and
     * about once a second while the leader runs, so that a grandchild seen once is still found
     * after the leader has ended (an orphan is no one's descendant any more). One started and
     * orphaned between two looks is missed. Only {@code TERM} and {@code KILL} exist there; another
     * stop signal is sent as {@code TERM}.
     */
    final class Descendants implements GroupControl {
        private final ChildProcess child;
        private final Set<ProcessHandle> seen = new LinkedHashSet<>();

        Descendants(ChildProcess child) {
            this.child = child;
        }

        @Override
        public void tick() {
            look();
        }

        private void look() {
            ProcessHandle.of(child.pid()).ifPresent(h -> h.descendants().forEach(seen::add));
            seen.removeIf(h -> !running(h));
        }

        /**
         * Alive and not a zombie: {@link ProcessHandle#isAlive()} counts a zombie as alive, and an
         * orphan killed under a PID 1 that never reaps stays one for ever. Where {@code /proc}
         * shows the state (Linux) a zombie is left out.
         */
        private static boolean running(ProcessHandle h) {
            if (!h.isAlive()) {
                return false;
            }
            try {
                String stat = java.nio.file.Files.readString(java.nio.file.Path.of("/proc", Long.toString(h.pid()), "stat"),
                        java.nio.charset.StandardCharsets.ISO_8859_1);
                int close = stat.lastIndexOf(')');
                char state = close >= 0 && close + 2 < stat.length() ? stat.charAt(close + 2) : '?';
                return state != 'Z' && state != 'X';
            } catch (java.io.IOException | RuntimeException noProc) {
                return h.isAlive();
            }
        }

        @Override
        public void signal(Signal signal) {
            boolean force = signal.equals(Signal.KILL);
            look();
            try {
                child.kill(force ? Signal.KILL : Signal.TERM);
            } catch (RuntimeException e) {
                LoggerFactory.getLogger(Supervisor.class).warn("signal to pid {}: {}", child.pid(), e.getMessage());
            }
            for (ProcessHandle h : seen) {
                if (force) {
                    h.destroyForcibly();
                } else {
                    h.destroy();
                }
            }
        }

        @Override
        public boolean alive() {
            look();
            return child.isAlive() || !seen.isEmpty();
        }

        @Override
        public boolean supports(Signal signal) {
            return signal.equals(Signal.TERM) || signal.equals(Signal.KILL);
        }
    }
}
