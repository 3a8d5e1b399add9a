/*
 * c_many: the C floor of the many scenario (competitor c-loop).
 *
 *   c_many N SLEEP
 *
 * One thread does what an event loop would: it starts N children
 *     /bin/sh -c 'echo line-<i>; exec sleep <SLEEP>'
 * with posix_spawn, each with its stdout on its own pipe (stdin and stderr /dev/null), opens a
 * pidfd for each, and then waits in one epoll set over all pipes and pidfds, reading every line and
 * reaping every child, until all pipes are at EOF and all children are reaped. RLIMIT_NOFILE's soft
 * limit is raised to the hard limit first (two descriptors per child).
 *
 * Metrics (RESULT lines, scenario "many"; bench/run renames it to the variant):
 *   wall_ms      first spawn to the last child reaped and the last pipe at EOF
 *   start_ms     first spawn to the last spawn returned
 *   peak_rss_mb  VmHWM of this process, in MiB
 *   peak_threads threads of this process (1)
 *   lines        lines read from all children (should be N)
 *   all_alive    1 if no child had ended when the last one was started, else 0
 */
#include "bench.h"

#include <stdint.h>
#include <sys/resource.h>

#define PROG "c_many"

/* per child; pid is 0 once the child is reaped */
struct child {
    pid_t pid;
    int out;   /* read end of its stdout pipe, -1 once at EOF */
    int pidfd; /* -1 once reaped */
};

static struct child *children;
static volatile long started; /* children[0..started) have been spawned */

/* kills every child not yet reaped and, with reap, then reaps them (without reap it is
 * async-signal-safe, so usable from the alarm handler) */
static void kill_all(int reap) {
    for (long i = 0; i < started; i++)
        if (children[i].pid > 0) kill(children[i].pid, SIGKILL);
    if (!reap) return;
    for (long i = 0; i < started; i++)
        if (children[i].pid > 0) waitpid(children[i].pid, NULL, 0);
}

/* a "Name:   <number> kB" field of /proc/self/status, or -1 */
static long status_field(const char *name) {
    FILE *f = fopen("/proc/self/status", "re");
    if (f == NULL) return -1;
    char line[256];
    size_t len = strlen(name);
    long value = -1;
    while (fgets(line, sizeof line, f) != NULL) {
        if (strncmp(line, name, len) == 0 && line[len] == ':') {
            value = strtol(line + len + 1, NULL, 10);
            break;
        }
    }
    fclose(f);
    return value;
}

/* epoll data: child index times two, plus 0 for its pipe or 1 for its pidfd */
static void watch(int ep, int fd, uint64_t tag) {
    struct epoll_event ev = {.events = EPOLLIN, .data.u64 = tag};
    if (epoll_ctl(ep, EPOLL_CTL_ADD, fd, &ev) < 0) bench_fail(PROG, "epoll_ctl");
}

int main(int argc, char **argv) {
    if (argc != 3) {
        fprintf(stderr, "usage: " PROG " N SLEEP\n");
        return 2;
    }
    long n = bench_parse_count(PROG, argv[1], "N");
    if (n == 0) {
        fprintf(stderr, PROG ": bad N: %s\n", argv[1]);
        return 2;
    }
    const char *sleep_arg = argv[2];
    if (strspn(sleep_arg, "0123456789.") != strlen(sleep_arg) || *sleep_arg == '\0') {
        fprintf(stderr, PROG ": bad SLEEP: %s\n", sleep_arg);
        return 2;
    }

    struct rlimit rl;
    if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur < rl.rlim_max) {
        rl.rlim_cur = rl.rlim_max;
        setrlimit(RLIMIT_NOFILE, &rl);
    }

    children = calloc((size_t) n, sizeof *children);
    if (children == NULL) bench_fail(PROG, "calloc");
    bench_watchdog(PROG, 300, kill_all);

    int devnull = bench_open_devnull(PROG, O_RDWR);
    int ep = epoll_create1(EPOLL_CLOEXEC);
    if (ep < 0) bench_fail(PROG, "epoll_create1");

    long long t0 = bench_now_ns();
    for (long i = 0; i < n; i++) {
        char script[128];
        snprintf(script, sizeof script, "echo line-%ld; exec sleep %s", i, sleep_arg);
        char *child_argv[] = {"/bin/sh", "-c", script, NULL};

        int out;
        pid_t pid = bench_spawn_piped(PROG, child_argv, devnull, 1, &out);
        children[i] = (struct child){.pid = pid, .out = out, .pidfd = -1};
        started = i + 1;

        /* non-blocking, so the loop below can read until EAGAIN */
        if (fcntl(out, F_SETFL, O_NONBLOCK) < 0) bench_fail(PROG, "fcntl");
        int pidfd = bench_pidfd_open(pid);
        if (pidfd < 0) bench_fail(PROG, "pidfd_open");
        children[i].pidfd = pidfd;
        watch(ep, out, (uint64_t) i * 2);
        watch(ep, pidfd, (uint64_t) i * 2 + 1);
    }
    long long t_started = bench_now_ns();

    /* has any child ended yet? WNOWAIT leaves it for the loop to reap */
    siginfo_t probe;
    memset(&probe, 0, sizeof probe);
    int all_alive = waitid(P_ALL, 0, &probe, WEXITED | WNOHANG | WNOWAIT) == 0 && probe.si_pid == 0;

    long open_pipes = n, running = n, lines = 0, failed = 0;
    static char buf[4096];
    struct epoll_event events[256];
    while (open_pipes > 0 || running > 0) {
        int got = epoll_wait(ep, events, 256, -1);
        if (got < 0) {
            if (errno == EINTR) continue;
            bench_fail(PROG, "epoll_wait");
        }
        for (int e = 0; e < got; e++) {
            struct child *c = &children[events[e].data.u64 / 2];
            if (events[e].data.u64 % 2 == 0) { /* pipe: read what is there, count newlines */
                for (;;) {
                    ssize_t r = read(c->out, buf, sizeof buf);
                    if (r > 0) {
                        for (ssize_t k = 0; k < r; k++) lines += buf[k] == '\n';
                    } else if (r == 0) {
                        close(c->out); /* also drops it from the epoll set */
                        c->out = -1;
                        open_pipes--;
                        break;
                    } else if (errno == EINTR) {
                        continue;
                    } else if (errno == EAGAIN) {
                        break;
                    } else {
                        bench_fail(PROG, "read");
                    }
                }
            } else { /* pidfd: the child has ended, reap it */
                siginfo_t info;
                memset(&info, 0, sizeof info);
                if (waitid(P_PIDFD, (id_t) c->pidfd, &info, WEXITED) < 0) bench_fail(PROG, "waitid");
                if (info.si_code != CLD_EXITED || info.si_status != 0) failed++;
                close(c->pidfd);
                c->pidfd = -1;
                c->pid = 0;
                running--;
            }
        }
    }
    long long t_end = bench_now_ns();

    if (failed > 0) fprintf(stderr, PROG ": %ld children did not exit with 0\n", failed);
    long hwm_kb = status_field("VmHWM");
    long threads = status_field("Threads");
    printf("RESULT many c-loop wall_ms %.1f ms\n", (double) (t_end - t0) / 1e6);
    printf("RESULT many c-loop start_ms %.1f ms\n", (double) (t_started - t0) / 1e6);
    printf("RESULT many c-loop peak_threads %ld threads\n", threads);
    printf("RESULT many c-loop peak_rss_mb %.1f MiB\n", (double) hwm_kb / 1024.0);
    printf("RESULT many c-loop lines %ld lines\n", lines);
    printf("RESULT many c-loop all_alive %d bool\n", all_alive);
    return failed > 0 ? 1 : 0;
}
