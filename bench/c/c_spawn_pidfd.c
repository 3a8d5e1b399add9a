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

/* /dev/null on the child's fds 0, 1 and 2 (dup2 clears CLOEXEC on the copies) */
static posix_spawn_file_actions_t null_stdio;

static volatile pid_t current_child; /* killed by the alarm handler if we hang */

static void on_alarm(int sig) {
    (void) sig;
    if (current_child > 0) kill(current_child, SIGKILL);
    static const char msg[] = "c_spawn_pidfd: timed out\n";
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
        fprintf(stderr, "c_spawn_pidfd: bad %s: %s\n", what, s);
        exit(2);
    }
    return v;
}

/* kills and reaps the current child, then exits with a message */
static void fail(const char *what) {
    fprintf(stderr, "c_spawn_pidfd: %s: %s\n", what, strerror(errno));
    if (current_child > 0) {
        kill(current_child, SIGKILL);
        waitpid(current_child, NULL, 0);
    }
    exit(1);
}

static void spawn_and_wait(int ep, const char *program) {
    char *argv[] = {(char *) program, NULL};
    pid_t pid;
    int err = posix_spawn(&pid, program, &null_stdio, NULL, argv, environ);
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

    siginfo_t info;
    memset(&info, 0, sizeof info);
    if (waitid(P_PIDFD, (id_t) pidfd, &info, WEXITED) < 0) fail("waitid");
    current_child = 0;
    close(pidfd); /* also drops it from the epoll set */
    if (info.si_code != CLD_EXITED || info.si_status != 0) {
        fprintf(stderr, "c_spawn_pidfd: %s ended with code %d status %d\n", program, info.si_code,
                info.si_status);
        exit(1);
    }
}

int main(int argc, char **argv) {
    if (argc < 3 || argc > 4) {
        fprintf(stderr, "usage: c_spawn_pidfd ITERATIONS WARMUP [PROGRAM]\n");
        return 2;
    }
    long iterations = parse_count(argv[1], "ITERATIONS");
    long warmup = parse_count(argv[2], "WARMUP");
    const char *program = argc == 4 ? argv[3] : "/bin/true";
    if (iterations == 0) {
        fprintf(stderr, "c_spawn_pidfd: ITERATIONS must be positive\n");
        return 2;
    }
    signal(SIGALRM, on_alarm);
    alarm(300);

    int devnull = open("/dev/null", O_RDWR | O_CLOEXEC);
    if (devnull < 0) {
        perror("c_spawn_pidfd: /dev/null");
        return 1;
    }
    posix_spawn_file_actions_init(&null_stdio);
    for (int fd = 0; fd <= 2; fd++) posix_spawn_file_actions_adddup2(&null_stdio, devnull, fd);

    int ep = epoll_create1(EPOLL_CLOEXEC);
    if (ep < 0) fail("epoll_create1");

    for (long i = 0; i < warmup; i++) spawn_and_wait(ep, program);
    double start = now_us();
    for (long i = 0; i < iterations; i++) spawn_and_wait(ep, program);
    double elapsed = now_us() - start;

    printf("RESULT spawn-wait c-pidfd us_per_op %.1f us\n", elapsed / (double) iterations);
    printf("RESULT spawn-wait c-pidfd total_ms %.1f ms\n", elapsed / 1e3);
    return 0;
}
