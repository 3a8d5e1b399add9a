package io.spawnkit.internal.jdk;

import static org.assertj.core.api.Assertions.assertThat;

import io.spawnkit.SpawnException;
import io.spawnkit.internal.SpawnRequest;
import java.io.IOException;
import java.util.List;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** The JDK's wordings of an exec failure become an errno name and its text (the table in JdkBackend). */
class StartFailureTest {

    private static final SpawnRequest REQUEST = new SpawnRequest(List.of("prog"), "prog", "/bin/prog", null, null,
            new TreeMap<>(), false, false, 0, List.of(), null, false);

    private static SpawnException of(String message) {
        return JdkBackend.startFailure(new IOException(message), REQUEST);
    }

    @Test
    void eachWordingGivesItsErrno() {
        assertThat(of("error=2, No such file or directory").errnoName()).isEqualTo("ENOENT");
        assertThat(of("Exec failed, error: 13 (Permission denied)").errnoName()).isEqualTo("EACCES");
        // JDK 25 adds its guesses after the errno when pipes or the exec fail for want of descriptors
        SpawnException emfile = of("Cannot run program \"prog\": error: 24 (Too many open files)\n"
                + "Possible reasons:\n  - The file descriptor limit is reached (see ulimit -n)");
        assertThat(emfile.errnoName()).isEqualTo("EMFILE");
        assertThat(emfile.getMessage()).contains("Too many open files");
    }
}
