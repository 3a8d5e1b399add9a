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
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

extern char **environ;

/* /dev/null on the child's fds 0, 1 and 2 (dup2 clears CLOEXEC on the copies) */
static posix_spawn_file_actions_t null_stdio;

static volatile pid_t current_child; /* killed by the alarm handler if we hang */

static void on_alarm(int sig) {
    (void) sig;
    if (current_child > 0) kill(current_child, SIGKILL);
    static const char msg[] = "c_spawn_wait: timed out\n";
    (void) !write(2, msg, sizeof msg - 1);
    _exit(124);
}

static double now_us(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double) ts.tv_sec * 1e6 + (double) ts.tv_nsec / 1e3;
}

static long parse_count(const char *s, const char *what) {
    char *end;
    errno = 0;
    long v = strtol(s, &end, 10);
    if (errno != 0 || end == s || *end != '\0' || v < 0) {
        fprintf(stderr, "c_spawn_wait: bad %s: %s\n", what, s);
        exit(2);
    }
    return v;
}

/* one spawn and wait; exits the program on any failure */
static void spawn_and_wait(const char *program) {
    char *argv[] = {(char *) program, NULL};
    pid_t pid;
    int err = posix_spawn(&pid, program, &null_stdio, NULL, argv, environ);
    if (err != 0) {
        fprintf(stderr, "c_spawn_wait: posix_spawn %s: %s\n", program, strerror(err));
        exit(1);
    }
    current_child = pid;
    int status;
    while (waitpid(pid, &status, 0) < 0) {
        if (errno != EINTR) {
            perror("c_spawn_wait: waitpid");
            kill(pid, SIGKILL);
            exit(1);
        }
    }
    current_child = 0;
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
        fprintf(stderr, "c_spawn_wait: %s ended with status 0x%x\n", program, status);
        exit(1);
    }
}

int main(int argc, char **argv) {
    if (argc < 3 || argc > 4) {
        fprintf(stderr, "usage: c_spawn_wait ITERATIONS WARMUP [PROGRAM]\n");
        return 2;
    }
    long iterations = parse_count(argv[1], "ITERATIONS");
    long warmup = parse_count(argv[2], "WARMUP");
    const char *program = argc == 4 ? argv[3] : "/bin/true";
    if (iterations == 0) {
        fprintf(stderr, "c_spawn_wait: ITERATIONS must be positive\n");
        return 2;
    }
    signal(SIGALRM, on_alarm);
    alarm(300);

    int devnull = open("/dev/null", O_RDWR | O_CLOEXEC);
    if (devnull < 0) {
        perror("c_spawn_wait: /dev/null");
        return 1;
    }
    posix_spawn_file_actions_init(&null_stdio);
    for (int fd = 0; fd <= 2; fd++) posix_spawn_file_actions_adddup2(&null_stdio, devnull, fd);

    for (long i = 0; i < warmup; i++) spawn_and_wait(program);
    double start = now_us();
    for (long i = 0; i < iterations; i++) spawn_and_wait(program);
    double elapsed = now_us() - start;

    printf("RESULT spawn-wait c-spawn us_per_op %.1f us\n", elapsed / (double) iterations);
    printf("RESULT spawn-wait c-spawn total_ms %.1f ms\n", elapsed / 1e3);
    return 0;
}
