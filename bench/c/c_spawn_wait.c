/*
 * c_spawn_wait: the C floor of the spawn-wait scenario (competitor c-spawn).
 *
 *   c_spawn_wait ITERATIONS WARMUP [PROGRAM]
 *
 * Starts PROGRAM (default /bin/true) with posix_spawn and waits for it with waitpid, one child at a
 * time, WARMUP times unmeasured and then ITERATIONS times measured. The child's stdin, stdout
 * and stderr are /dev/null (opened once, as a library would keep it), as for the Java
 * competitors' children.
 * Prints  RESULT spawn-wait c-spawn us_per_op <mean microseconds per spawn+wait> us
 *   and   RESULT spawn-wait c-spawn total_ms <milliseconds of all measured iterations> ms
 */
#include "bench.h"

#define PROG "c_spawn_wait"

/* /dev/null on the child's fds 0, 1 and 2 */
static posix_spawn_file_actions_t null_stdio;

/* one spawn and wait; exits the program on any failure */
static void spawn_and_wait(const char *program) {
    char *argv[] = {(char *) program, NULL};
    pid_t pid;
    int err = posix_spawn(&pid, program, &null_stdio, NULL, argv, environ);
    if (err != 0) {
        fprintf(stderr, PROG ": posix_spawn %s: %s\n", program, strerror(err));
        exit(1);
    }
    current_child = pid;
    int status;
    while (waitpid(pid, &status, 0) < 0) {
        if (errno != EINTR) bench_fail(PROG, "waitpid");
    }
    current_child = 0;
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
        fprintf(stderr, PROG ": %s ended with status 0x%x\n", program, status);
        exit(1);
    }
}

int main(int argc, char **argv) {
    long iterations, warmup;
    const char *program = bench_spawn_wait_args(PROG, argc, argv, &iterations, &warmup);
    bench_watchdog(PROG, 300, NULL);
    bench_null_stdio(PROG, &null_stdio);

    for (long i = 0; i < warmup; i++) spawn_and_wait(program);
    long long start = bench_now_ns();
    for (long i = 0; i < iterations; i++) spawn_and_wait(program);
    double elapsed_us = (double) (bench_now_ns() - start) / 1e3;

    printf("RESULT spawn-wait c-spawn us_per_op %.1f us\n", elapsed_us / (double) iterations);
    printf("RESULT spawn-wait c-spawn total_ms %.1f ms\n", elapsed_us / 1e3);
    return 0;
}
