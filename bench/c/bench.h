/*
 * bench.h: what the C programs of bench/c share. bench/run compiles each program on its own from
 * its one .c file (this header is included, not linked), so everything here is static; the
 * functions are marked unused because no program needs all of them (-Wall -Werror would refuse an
 * unused static function).
 *
 * Include it before any system header: it defines _GNU_SOURCE (pipe2, epoll, waitid(P_PIDFD)).
 * The functions take the program's name (PROG in each program) for their messages, which read
 * "<program>: ...".
 */
#ifndef BENCH_H
#define BENCH_H

#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
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

#define BENCH_UNUSED __attribute__((unused))

extern char **environ;

/* ---- children to clean up, the watchdog, fatal errors --------------------------------------- */

/* the child being waited for, 0 if none: killed by the alarm handler if we hang */
BENCH_UNUSED static volatile pid_t current_child;

/* kills current_child and, with reap, reaps it (async-signal-safe without reap) */
BENCH_UNUSED static void bench_kill_current(int reap) {
    pid_t pid = current_child;
    if (pid > 0) {
        kill(pid, SIGKILL);
        if (reap) waitpid(pid, NULL, 0);
    }
}

/* kills every child not yet reaped and, with reap, then reaps them; called by the alarm handler
 * (reap 0: it must stay async-signal-safe) and by bench_fail (reap 1). bench_watchdog may set it. */
BENCH_UNUSED static void (*bench_kill_children)(int reap) = bench_kill_current;

/* "<program>: timed out\n", built before the alarm can fire: the handler may only write(2) it */
BENCH_UNUSED static char bench_timeout_msg[128];
BENCH_UNUSED static size_t bench_timeout_len;

BENCH_UNUSED static void bench_on_alarm(int sig) {
    (void) sig;
    bench_kill_children(0);
    (void) !write(2, bench_timeout_msg, bench_timeout_len);
    _exit(124);
}

/* After SECONDS, kills the children (with kill_children, or current_child if it is NULL), prints
 * "<prog>: timed out" and exits 124. */
BENCH_UNUSED static void bench_watchdog(const char *prog, unsigned seconds,
                                        void (*kill_children)(int reap)) {
    int len = snprintf(bench_timeout_msg, sizeof bench_timeout_msg, "%s: timed out\n", prog);
    bench_timeout_len = len < 0 ? 0
        : (size_t) len < sizeof bench_timeout_msg ? (size_t) len : sizeof bench_timeout_msg - 1;
    if (kill_children != NULL) bench_kill_children = kill_children;
    signal(SIGALRM, bench_on_alarm);
    alarm(seconds);
}

/* prints "<prog>: <what>: <strerror(errno)>", kills and reaps the children, then exits 1 */
BENCH_UNUSED static void bench_fail(const char *prog, const char *what) {
    fprintf(stderr, "%s: %s: %s\n", prog, what, strerror(errno));
    bench_kill_children(1);
    exit(1);
}

/* ---- arguments ------------------------------------------------------------------------------ */

/* a decimal count >= 0; exits 2 with "<prog>: bad <what>: <s>" if S is not one */
BENCH_UNUSED static long bench_parse_count(const char *prog, const char *s, const char *what) {
    char *end;
    errno = 0;
    long v = strtol(s, &end, 10);
    if (errno != 0 || end == s || *end != '\0' || v < 0) {
        fprintf(stderr, "%s: bad %s: %s\n", prog, what, s);
        exit(2);
    }
    return v;
}

/* ITERATIONS and WARMUP from argv[1] and argv[2]: counts, ITERATIONS positive; exits 2 if not */
BENCH_UNUSED static void bench_parse_iterations(const char *prog, char **argv, long *iterations,
                                                long *warmup) {
    *iterations = bench_parse_count(prog, argv[1], "ITERATIONS");
    *warmup = bench_parse_count(prog, argv[2], "WARMUP");
    if (*iterations == 0) {
        fprintf(stderr, "%s: ITERATIONS must be positive\n", prog);
        exit(2);
    }
}

/* the arguments ITERATIONS WARMUP [PROGRAM] of c_spawn_wait and c_spawn_pidfd; returns PROGRAM
 * (default /bin/true); exits 2 with the usage if there are too few or too many */
BENCH_UNUSED static const char *bench_spawn_wait_args(const char *prog, int argc, char **argv,
                                                     long *iterations, long *warmup) {
    if (argc < 3 || argc > 4) {
        fprintf(stderr, "usage: %s ITERATIONS WARMUP [PROGRAM]\n", prog);
        exit(2);
    }
    bench_parse_iterations(prog, argv, iterations, warmup);
    return argc == 4 ? argv[3] : "/bin/true";
}

/* a decimal byte count; exits 2 with "<prog>: bad <what>: <s>" if S is not one */
BENCH_UNUSED static unsigned long long bench_parse_size(const char *prog, const char *s,
                                                        const char *what) {
    char *end;
    errno = 0;
    unsigned long long v = strtoull(s, &end, 10);
    if (errno != 0 || end == s || *end != '\0') {
        fprintf(stderr, "%s: bad %s: %s\n", prog, what, s);
        exit(2);
    }
    return v;
}

/* ---- clock ---------------------------------------------------------------------------------- */

/* CLOCK_MONOTONIC in nanoseconds (also the clock of stamp_exit's stamp) */
BENCH_UNUSED static long long bench_now_ns(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (long long) ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

/* ---- spawning ------------------------------------------------------------------------------- */

/* /dev/null opened once with FLAGS and O_CLOEXEC (the children get it through dup2 in their file
 * actions); exits through bench_fail if it cannot be opened */
BENCH_UNUSED static int bench_open_devnull(const char *prog, int flags) {
    int fd = open("/dev/null", flags | O_CLOEXEC);
    if (fd < 0) bench_fail(prog, "open /dev/null");
    return fd;
}

/* file actions with /dev/null (opened once) on the child's fds 0, 1 and 2 (dup2 clears CLOEXEC on
 * the copies) */
BENCH_UNUSED static void bench_null_stdio(const char *prog, posix_spawn_file_actions_t *actions) {
    int devnull = bench_open_devnull(prog, O_RDWR);
    posix_spawn_file_actions_init(actions);
    for (int fd = 0; fd <= 2; fd++) posix_spawn_file_actions_adddup2(actions, devnull, fd);
}

/* Starts ARGV (ARGV[0] is the path) with posix_spawn, its stdin DEVNULL, its stdout the write end
 * of a new pipe and its stderr DEVNULL too if null_stderr (else ours). Returns the child's pid and
 * stores the read end of the pipe (O_CLOEXEC) in *out; exits through bench_fail on failure. */
BENCH_UNUSED static pid_t bench_spawn_piped(const char *prog, char *const argv[], int devnull,
                                            int null_stderr, int *out) {
    int fds[2];
    if (pipe2(fds, O_CLOEXEC) < 0) bench_fail(prog, "pipe2");
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_adddup2(&actions, devnull, 0);
    posix_spawn_file_actions_adddup2(&actions, fds[1], 1); /* dup2 clears CLOEXEC on the copies */
    if (null_stderr) posix_spawn_file_actions_adddup2(&actions, devnull, 2);
    pid_t pid;
    int err = posix_spawn(&pid, argv[0], &actions, NULL, argv, environ);
    posix_spawn_file_actions_destroy(&actions);
    close(fds[1]);
    if (err != 0) {
        close(fds[0]);
        errno = err;
        bench_fail(prog, "posix_spawn");
    }
    *out = fds[0];
    return pid;
}

/* ---- pidfds --------------------------------------------------------------------------------- */

/* pidfd_open(2) (glibc before 2.36 has no wrapper) */
BENCH_UNUSED static int bench_pidfd_open(pid_t pid) {
    return (int) syscall(SYS_pidfd_open, pid, 0);
}

/* opens a pidfd for PID and adds it to the epoll set EP (data.fd is the pidfd); returns it */
BENCH_UNUSED static int bench_watch_pidfd(const char *prog, int ep, pid_t pid) {
    int pidfd = bench_pidfd_open(pid);
    if (pidfd < 0) bench_fail(prog, "pidfd_open");
    struct epoll_event ev = {.events = EPOLLIN, .data.fd = pidfd};
    if (epoll_ctl(ep, EPOLL_CTL_ADD, pidfd, &ev) < 0) bench_fail(prog, "epoll_ctl");
    return pidfd;
}

/* waits in epoll_wait on EP until one descriptor is ready (retrying on EINTR) */
BENCH_UNUSED static void bench_wait_one(const char *prog, int ep) {
    struct epoll_event got;
    int n;
    while ((n = epoll_wait(ep, &got, 1, -1)) < 0 && errno == EINTR) {}
    if (n != 1) bench_fail(prog, "epoll_wait");
}

/* Reaps current_child, which has ended, through its PIDFD with waitid(P_PIDFD) and closes the
 * pidfd; exits 1 with "<prog>: <program> ended with code C status S" unless it exited with 0. */
BENCH_UNUSED static void bench_reap_pidfd(const char *prog, int pidfd, const char *program) {
    siginfo_t info;
    memset(&info, 0, sizeof info);
    if (waitid(P_PIDFD, (id_t) pidfd, &info, WEXITED) < 0) bench_fail(prog, "waitid");
    current_child = 0;
    close(pidfd); /* also drops it from the epoll set */
    if (info.si_code != CLD_EXITED || info.si_status != 0) {
        fprintf(stderr, "%s: %s ended with code %d status %d\n", prog, program, info.si_code,
                info.si_status);
        exit(1);
    }
}

#endif
