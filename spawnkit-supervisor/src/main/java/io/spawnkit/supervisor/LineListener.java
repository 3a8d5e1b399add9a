package io.spawnkit.supervisor;

/**
 * Receives every line of every helper, in order per helper and stream, on the supervisor's thread.
 * Lines never contain a newline; a partial line shown after the idle flush is followed by the rest
 * as a new line.
 */
@FunctionalInterface
public interface LineListener {

    enum Stream { STDOUT, STDERR }

    void line(String helper, Stream stream, String line);
}
