package io.spawnkit.supervisor;

import java.net.URI;
import java.time.Duration;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * When a started helper counts as ready (what {@link DependsOn.Condition#READY} waits for).
 * Probes (port, HTTP) are retried every {@code interval} until they pass or {@code timeout}
 * elapses; a timeout is reported as an event and the helper is stopped.
 */
public sealed interface Readiness {

    /** Ready as soon as it has started (the default). */
    record Started() implements Readiness {}

    /** Ready when a line of its stdout or stderr matches {@code pattern} (find, not full match). */
    record Line(Pattern pattern, Duration timeout) implements Readiness {
        public Line {
            Objects.requireNonNull(pattern, "pattern");
            Objects.requireNonNull(timeout, "timeout");
        }
    }

    /** Ready when a TCP connection to {@code host:port} is accepted. */
    record Port(String host, int port, Duration interval, Duration timeout) implements Readiness {
        public Port {
            Objects.requireNonNull(host, "host");
            if (port < 1 || port > 65535) {
                throw new IllegalArgumentException("port out of range: " + port);
            }
        }
    }

    /** Ready when a GET of {@code uri} answers with a 2xx status. */
    record Http(URI uri, Duration interval, Duration timeout) implements Readiness {
        public Http {
            Objects.requireNonNull(uri, "uri");
        }
    }

    /** Ready {@code delay} after it started (if it is still running then). */
    record Delay(Duration delay) implements Readiness {
        public Delay {
            Objects.requireNonNull(delay, "delay");
        }
    }

    Duration DEFAULT_TIMEOUT = Duration.ofSeconds(60);
    Duration DEFAULT_INTERVAL = Duration.ofMillis(100);

    static Readiness started() {
        return new Started();
    }

    static Readiness line(String regex) {
        return new Line(Pattern.compile(regex), DEFAULT_TIMEOUT);
    }

    static Readiness port(int port) {
        return new Port("127.0.0.1", port, DEFAULT_INTERVAL, DEFAULT_TIMEOUT);
    }

    static Readiness http(String uri) {
        return new Http(URI.create(uri), DEFAULT_INTERVAL, DEFAULT_TIMEOUT);
    }

    static Readiness delay(Duration delay) {
        return new Delay(delay);
    }
}
