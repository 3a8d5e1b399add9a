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
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#ifndef SYS_pidfd_open
#define SYS_pidfd_open 434 /* the same number on every architecture */
#endif
#ifndef P_PIDFD
#define P_PIDFD 3
#endif

extern char **environ;

static int devnull; /* opened once; the child's stdin */
static volatile pid_t current_child; /* killed by the alarm handler if we hang */

static void on_alarm(int sig) {
    (void) sig;
    if (current_child > 0) kill(current_child, SIGKILL);
    static const char msg[] = "c_latency: timed out\n";
    (void) !write(2, msg, sizeof msg - 1);
    _exit(124);
}

static long long now_ns(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (long long) ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

static long parse_count(const char *s, const char *what) {
    char *end;
    errno = 0;
    long v = strtol(s, &end, 10);
    if (errno != 0 || end == s || *end != '\0' || v < 0) {
        fprintf(stderr, "c_latency: bad %s: %s\n", what, s);
        exit(2);
    }
    return v;
}

/* kills and reaps the current child, then exits with a message */
static void fail(const char *what) {
    fprintf(stderr, "c_latency: %s: %s\n", what, strerror(errno));
    if (current_child > 0) {
        kill(current_child, SIGKILL);
        waitpid(current_child, NULL, 0);
    }
    exit(1);
}

/* one child; returns nanoseconds between its stamp and our seeing its pidfd readable */
static long long one_round(int ep, const char *program) {
    int fds[2];
    if (pipe2(fds, O_CLOEXEC) < 0) fail("pipe2");

    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_adddup2(&actions, devnull, 0);
    posix_spawn_file_actions_adddup2(&actions, fds[1], 1); /* dup2 clears CLOEXEC on the copies */
    char *argv[] = {(char *) program, NULL};
    pid_t pid;
    int err = posix_spawn(&pid, program, &actions, NULL, argv, environ);
    posix_spawn_file_actions_destroy(&actions);
    close(fds[1]);
    if (err != 0) {
        errno = err;
        fail("posix_spawn");
    }
    current_child = pid;

    int pidfd = (int) syscall(SYS_pidfd_open, pid, 0);
    if (pidfd < 0) fail("pidfd_open");
    struct epoll_event ev = {.events = EPOLLIN, .data.fd = pidfd};
    if (epoll_ctl(ep, EPOLL_CTL_ADD, pidfd, &ev) < 0) fail("epoll_ctl");

    struct epoll_event got;
    int n;
    while ((n = epoll_wait(ep, &got, 1, -1)) < 0 && errno == EINTR) {}
    if (n != 1) fail("epoll_wait");
    long long seen = now_ns();

    /* the child has ended, so its line is complete in the pipe: read to EOF */
    char line[64];
    size_t len = 0;
    for (;;) {
        ssize_t r = read(fds[0], line + len, sizeof line - 1 - len);
        if (r < 0 && errno == EINTR) continue;
        if (r < 0) fail("read");
        if (r == 0 || (len += (size_t) r) == sizeof line - 1) break;
    }
    line[len] = '\0';
    close(fds[0]);

    siginfo_t info;
    memset(&info, 0, sizeof info);
    if (waitid(P_PIDFD, (id_t) pidfd, &info, WEXITED) < 0) fail("waitid");
    current_child = 0;
    close(pidfd);
    if (info.si_code != CLD_EXITED || info.si_status != 0) {
        fprintf(stderr, "c_latency: %s ended with code %d status %d\n", program, info.si_code,
                info.si_status);
        exit(1);
    }

    char *end;
    long long stamp = strtoll(line, &end, 10);
    if (end == line || *end != '\n') {
        fprintf(stderr, "c_latency: %s printed %zu bytes that are not a stamp\n", program, len);
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
        fprintf(stderr, "usage: c_latency ITERATIONS WARMUP STAMP_EXIT\n");
        return 2;
    }
    long iterations = parse_count(argv[1], "ITERATIONS");
    long warmup = parse_count(argv[2], "WARMUP");
    const char *program = argv[3];
    if (iterations == 0) {
        fprintf(stderr, "c_latency: ITERATIONS must be positive\n");
        return 2;
    }
    signal(SIGALRM, on_alarm);
    alarm(300);

    devnull = open("/dev/null", O_RDONLY | O_CLOEXEC);
    if (devnull < 0) fail("open /dev/null");
    int ep = epoll_create1(EPOLL_CLOEXEC);
    if (ep < 0) fail("epoll_create1");
    long long *samples = malloc(sizeof *samples * (size_t) iterations);
    if (samples == NULL) fail("malloc");

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
