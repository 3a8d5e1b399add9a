package io.spawnkit.supervisor;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/**
 * The blocking readiness probes (a TCP connect, an HTTP GET), each run on a virtual thread of its
 * own so that neither the event loop nor the supervisor's thread ever waits on the network.
 */
final class Probes {
    private final Object clientLock = new Object();
    private HttpClient client;

    /**
     * Runs {@code probe} every {@code interval} until it passes ({@code onResult} gets null), the
     * {@code timeout} elapses ({@code onResult} gets the reason) or {@code cancelled} says so
     * (nothing is reported). Returns at once.
     */
    void poll(String helper, String what, Probe probe, Duration interval, Duration timeout,
            BooleanSupplier cancelled, Consumer<String> onResult) {
        Thread.ofVirtual().name("spawnkit-probe-" + helper).start(() -> {
            long deadline = System.nanoTime() + Engine.nanos(timeout);
            String last = "no answer";
            while (!cancelled.getAsBoolean()) {
                long left = deadline - System.nanoTime();
                try {
                    String failure = probe.attempt(Duration.ofNanos(Math.max(left, 1_000_000L)));
                    if (failure == null) {
                        if (!cancelled.getAsBoolean()) {
                            onResult.accept(null);
                        }
                        return;
                    }
                    last = failure;
                } catch (InterruptedException e) {
                    return;
                }
                if (System.nanoTime() - deadline >= 0) {
                    onResult.accept(what + " not ready within " + Engine.format(timeout) + ": " + last);
                    return;
                }
                try {
                    Thread.sleep(Math.max(1, Math.min(interval.toMillis(),
                            (deadline - System.nanoTime()) / 1_000_000L + 1)));
                } catch (InterruptedException e) {
                    return;
                }
            }
        });
    }

    /** One try: null when it passed, else why not. */
    @FunctionalInterface
    interface Probe {
        String attempt(Duration budget) throws InterruptedException;
    }

    /** A TCP connect to {@code host:port}, waiting at most 1 s (or the budget). */
    static Probe port(String host, int port) {
        return budget -> {
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress(host, port), Math.clamp(budget.toMillis(), 1, 1000));
                return null;
            } catch (IOException e) {
                return "connect to " + host + ":" + port + ": " + e.getMessage();
            }
        };
    }

    /** A GET answered with a 2xx status, waiting at most 2 s (or the budget). */
    Probe http(Readiness.Http spec) {
        return budget -> {
            Duration wait = Duration.ofMillis(Math.clamp(budget.toMillis(), 1, 2000));
            HttpRequest request = HttpRequest.newBuilder(spec.uri()).timeout(wait).GET().build();
            try {
                HttpResponse<Void> r = client().send(request, HttpResponse.BodyHandlers.discarding());
                int code = r.statusCode();
                return code >= 200 && code < 300 ? null : "GET " + spec.uri() + ": status " + code;
            } catch (IOException e) {
                return "GET " + spec.uri() + ": " + e;
            }
        };
    }

    private HttpClient client() {
        synchronized (clientLock) {
            if (client == null) {
                client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2))
                        .followRedirects(HttpClient.Redirect.NORMAL).build();
            }
            return client;
        }
    }

    /** Releases the HTTP client's thread, if one was made. */
    void close() {
        synchronized (clientLock) {
            if (client != null) {
                client.shutdownNow();
                client = null;
            }
        }
    }
}
