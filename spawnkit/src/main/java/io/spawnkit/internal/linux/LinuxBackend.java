package io.spawnkit.internal.linux;

import io.spawnkit.internal.Backend;
import io.spawnkit.internal.NativeChild;
import io.spawnkit.internal.SpawnRequest;
import io.spawnkit.internal.Timers;

/** Placeholder while the native backend is written. */
public final class LinuxBackend implements Backend {
    public LinuxBackend() {
        throw new UnsupportedOperationException("linux backend not built yet");
    }

    @Override
    public String name() {
        return "linux";
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
