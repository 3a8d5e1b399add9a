/*
 * c_latency: the C floor of the latency scenario (competitor c-pidfd).
 *
 *   c_latency ITERATIONS WARMUP STAMP_EXIT
 *
 * How long after a child exits does its parent know? Each iteration starts STAMP_EXIT
 * (bench/c/stamp_exit.c) with posix_spawn, its stdout on a pipe and its stdin /dev/null, opens a
 * pidfd for it and waits in epoll_wait until the pidfd is readable. At that moment it takes
 * CLOCK_MONOTONIC, then reads the child's line (the child's own CLOCK_MONOTONIC just before _exit)
 * and reaps the child. The latency of the iteration is the difference. WARMUP iterations are
 * discarded, then ITERATIONS are measured. Prints p50_us, p90_us, p99_us and max_us (nearest-rank
 * percentiles) as RESULT lines.
 */
#include "bench.h"

#define PROG "c_latency"

static int devnull; /* opened once; the child's stdin */

/* one child; returns nanoseconds between its stamp and our seeing its pidfd readable */
static long long one_round(int ep, const char *program) {
    char *argv[] = {(char *) program, NULL};
    int out;
    pid_t pid = bench_spawn_piped(PROG, argv, devnull, 0, &out);
    current_child = pid;
    int pidfd = bench_watch_pidfd(PROG, ep, pid);

    bench_wait_one(PROG, ep);
    long long seen = bench_now_ns();

    /* the child has ended, so its line is complete in the pipe: read to EOF */
    char line[64];
    size_t len = 0;
    for (;;) {
        ssize_t r = read(out, line + len, sizeof line - 1 - len);
        if (r < 0 && errno == EINTR) continue;
        if (r < 0) bench_fail(PROG, "read");
        if (r == 0 || (len += (size_t) r) == sizeof line - 1) break;
    }
    line[len] = '\0';
    close(out);

    bench_reap_pidfd(PROG, pidfd, program);

    char *end;
    long long stamp = strtoll(line, &end, 10);
    if (end == line || *end != '\n') {
        fprintf(stderr, PROG ": %s printed %zu bytes that are not a stamp\n", program, len);
        exit(1);
    }
    return seen - stamp;
}

static int compare(const void *a, const void *b) {
    long long x = *(const long long *) a, y = *(const long long *) b;
    return (x > y) - (x < y);
}

/* nearest rank: the smallest value with at least p percent of the samples at or below it */
static double percentile_us(const long long *sorted, long n, double p) {
    long rank = (long) ((p / 100.0) * (double) n + 0.999999);
    if (rank < 1) rank = 1;
    if (rank > n) rank = n;
    return (double) sorted[rank - 1] / 1e3;
}

int main(int argc, char **argv) {
    if (argc != 4) {
        fprintf(stderr, "usage: " PROG " ITERATIONS WARMUP STAMP_EXIT\n");
        return 2;
    }
    long iterations, warmup;
    bench_parse_iterations(PROG, argv, &iterations, &warmup);
    const char *program = argv[3];
    bench_watchdog(PROG, 300, NULL);

    devnull = bench_open_devnull(PROG, O_RDONLY);
    int ep = epoll_create1(EPOLL_CLOEXEC);
    if (ep < 0) bench_fail(PROG, "epoll_create1");
    long long *samples = malloc(sizeof *samples * (size_t) iterations);
    if (samples == NULL) bench_fail(PROG, "malloc");

    for (long i = 0; i < warmup; i++) one_round(ep, program);
    for (long i = 0; i < iterations; i++) samples[i] = one_round(ep, program);

    qsort(samples, (size_t) iterations, sizeof *samples, compare);
    printf("RESULT latency c-pidfd p50_us %.1f us\n", percentile_us(samples, iterations, 50));
    printf("RESULT latency c-pidfd p90_us %.1f us\n", percentile_us(samples, iterations, 90));
    printf("RESULT latency c-pidfd p99_us %.1f us\n", percentile_us(samples, iterations, 99));
    printf("RESULT latency c-pidfd max_us %.1f us\n", (double) samples[iterations - 1] / 1e3);
    free(samples);
    return 0;
}
