/*
 * c_spawn_pidfd: the C floor of the spawn-wait scenario done the way an event loop does it
 * (competitor c-pidfd).
 *
 *   c_spawn_pidfd ITERATIONS WARMUP [PROGRAM]
 *
 * Starts PROGRAM (default /bin/true) with posix_spawn, opens a pidfd for it, waits in
 * epoll_wait until the pidfd is readable (the child has ended) and reaps it with waitid(P_PIDFD),
 * one child at a time, WARMUP times unmeasured and then ITERATIONS times measured. The child's
 * stdin, stdout and stderr are /dev/null (opened once, as a library would keep it), as for the
 * Java competitors' children.
 * Prints  RESULT spawn-wait c-pidfd us_per_op <mean microseconds per spawn+wait> us
 *   and   RESULT spawn-wait c-pidfd total_ms <milliseconds of all measured iterations> ms
 */
#include "bench.h"

#define PROG "c_spawn_pidfd"

/* /dev/null on the child's fds 0, 1 and 2 */
static posix_spawn_file_actions_t null_stdio;

static void spawn_and_wait(int ep, const char *program) {
    char *argv[] = {(char *) program, NULL};
    pid_t pid;
    int err = posix_spawn(&pid, program, &null_stdio, NULL, argv, environ);
    if (err != 0) {
        errno = err;
        bench_fail(PROG, "posix_spawn");
    }
    current_child = pid;

    int pidfd = bench_watch_pidfd(PROG, ep, pid);
    bench_wait_one(PROG, ep);
    bench_reap_pidfd(PROG, pidfd, program);
}

int main(int argc, char **argv) {
    long iterations, warmup;
    const char *program = bench_spawn_wait_args(PROG, argc, argv, &iterations, &warmup);
    bench_watchdog(PROG, 300, NULL);
    bench_null_stdio(PROG, &null_stdio);

    int ep = epoll_create1(EPOLL_CLOEXEC);
    if (ep < 0) bench_fail(PROG, "epoll_create1");

    for (long i = 0; i < warmup; i++) spawn_and_wait(ep, program);
    long long start = bench_now_ns();
    for (long i = 0; i < iterations; i++) spawn_and_wait(ep, program);
    double elapsed_us = (double) (bench_now_ns() - start) / 1e3;

    printf("RESULT spawn-wait c-pidfd us_per_op %.1f us\n", elapsed_us / (double) iterations);
    printf("RESULT spawn-wait c-pidfd total_ms %.1f ms\n", elapsed_us / 1e3);
    return 0;
}
