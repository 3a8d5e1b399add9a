/*
 * c_read: the C floor of the throughput scenario (competitor c-read).
 *
 *   c_read WRITER BYTES [PIPE_SIZE]
 *
 * Starts WRITER (bench/c/writer.c) with posix_spawn as `WRITER BYTES [PIPE_SIZE]`, its stdout on a
 * pipe and its stdin /dev/null (the writer resizes the pipe itself when PIPE_SIZE is given), reads
 * the pipe to EOF with blocking read(2) calls into a 64 KiB buffer, counts the bytes and reaps the
 * child. The clock runs from just before the spawn to the reap.
 * Prints mb_per_s (MiB, 2^20 bytes, per second) and seconds as RESULT lines; the scenario name is
 * "throughput" (the bench/run script renames it to the variant).
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

static volatile pid_t current_child; /* killed by the alarm handler if we hang */

static void on_alarm(int sig) {
    (void) sig;
    if (current_child > 0) kill(current_child, SIGKILL);
    static const char msg[] = "c_read: timed out\n";
    (void) !write(2, msg, sizeof msg - 1);
    _exit(124);
}

static double now_s(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double) ts.tv_sec + (double) ts.tv_nsec / 1e9;
}

static void fail(const char *what) {
    fprintf(stderr, "c_read: %s: %s\n", what, strerror(errno));
    if (current_child > 0) {
        kill(current_child, SIGKILL);
        waitpid(current_child, NULL, 0);
    }
    exit(1);
}

int main(int argc, char **argv) {
    if (argc < 3 || argc > 4) {
        fprintf(stderr, "usage: c_read WRITER BYTES [PIPE_SIZE]\n");
        return 2;
    }
    char *end;
    errno = 0;
    unsigned long long expected = strtoull(argv[2], &end, 10);
    if (errno != 0 || end == argv[2] || *end != '\0') {
        fprintf(stderr, "c_read: bad BYTES: %s\n", argv[2]);
        return 2;
    }
    signal(SIGALRM, on_alarm);
    alarm(300);

    /* argv of the writer: WRITER BYTES [PIPE_SIZE] */
    char *child_argv[] = {argv[1], argv[2], argc == 4 ? argv[3] : NULL, NULL};

    static char buf[64 * 1024];
    int devnull = open("/dev/null", O_RDONLY | O_CLOEXEC);
    if (devnull < 0) fail("open /dev/null");
    double start = now_s();

    int fds[2];
    if (pipe2(fds, O_CLOEXEC) < 0) fail("pipe2");
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_adddup2(&actions, devnull, 0);
    posix_spawn_file_actions_adddup2(&actions, fds[1], 1); /* dup2 clears CLOEXEC on the copies */
    pid_t pid;
    int err = posix_spawn(&pid, argv[1], &actions, NULL, child_argv, environ);
    posix_spawn_file_actions_destroy(&actions);
    close(fds[1]);
    if (err != 0) {
        errno = err;
        fail("posix_spawn");
    }
    current_child = pid;

    unsigned long long total = 0;
    for (;;) {
        ssize_t n = read(fds[0], buf, sizeof buf);
        if (n > 0) {
            total += (unsigned long long) n;
        } else if (n == 0) {
            break;
        } else if (errno != EINTR) {
            fail("read");
        }
    }
    close(fds[0]);

    int status;
    while (waitpid(pid, &status, 0) < 0) {
        if (errno != EINTR) fail("waitpid");
    }
    current_child = 0;
    double seconds = now_s() - start;

    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
        fprintf(stderr, "c_read: writer ended with status 0x%x\n", status);
        return 1;
    }
    if (total != expected) {
        fprintf(stderr, "c_read: read %llu bytes, expected %llu\n", total, expected);
        return 1;
    }
    printf("RESULT throughput c-read mb_per_s %.1f MiB/s\n", (double) total / 1048576.0 / seconds);
    printf("RESULT throughput c-read seconds %.3f s\n", seconds);
    return 0;
}
