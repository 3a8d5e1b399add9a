package io.spawnkit.internal.jdk;

import io.spawnkit.internal.Backend;
import io.spawnkit.internal.NativeChild;
import io.spawnkit.internal.SpawnRequest;
import io.spawnkit.internal.Timers;

/** Placeholder while the native backend is written. */
public final class JdkBackend implements Backend {
    public JdkBackend() {
        throw new UnsupportedOperationException("jdk backend not built yet");
    }

    @Override
    public String name() {
        return "jdk";
    }

    @Override
    public NativeChild spawn(SpawnRequest request) {
        throw new UnsupportedOperationException();
    }

    @Override
    public Timers timers() {
        throw new UnsupportedOperationException();
    }
}
