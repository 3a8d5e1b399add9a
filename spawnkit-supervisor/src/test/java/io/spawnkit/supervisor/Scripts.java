package io.spawnkit.supervisor;

import io.spawnkit.Command;

/** Small shell and Python helpers the tests run. */
final class Scripts {
    private Scripts() {}

    static Command sh(String script) {
        return Command.of("sh", "-c", script);
    }

    static HelperSpec helper(String name, String script) {
        return HelperSpec.of(name, sh(script));
    }

    /** A supervisor builder whose events and lines go to {@code rec}. */
    static Supervisor.Builder recorded(Recorder rec) {
        return Supervisor.builder().listener(rec).lineListener(rec);
    }
}
