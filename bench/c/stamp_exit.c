/*
 * stamp_exit: the child of the latency benchmark.
 *
 * Prints CLOCK_MONOTONIC in nanoseconds as one decimal line on stdout and exits at once. The parent
 * compares this stamp with the moment it learns that the child has exited, so nothing may run
 * between the stamp and the exit: the line goes out with one write(2) (no stdio buffer to flush)
 * and the process ends with _exit(2) (no atexit handlers). The stamp comes from bench_now_ns(), the
 * clock c_latency reads on its side.
 */
#include "bench.h"

int main(void) {
    char buf[32];
    char *p = buf + sizeof buf;
    unsigned long long ns = (unsigned long long) bench_now_ns();

    /* format right to left into the end of buf, newline last */
    *--p = '\n';
    do {
        *--p = (char) ('0' + ns % 10);
        ns /= 10;
    } while (ns != 0);

    ssize_t len = buf + sizeof buf - p;
    /* a pipe write this small is atomic; a short write would mean the reader is gone */
    if (write(1, p, (size_t) len) != len) _exit(1);
    _exit(0);
}
