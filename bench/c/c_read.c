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
#include "bench.h"

#define PROG "c_read"

int main(int argc, char **argv) {
    if (argc < 3 || argc > 4) {
        fprintf(stderr, "usage: " PROG " WRITER BYTES [PIPE_SIZE]\n");
        return 2;
    }
    unsigned long long expected = bench_parse_size(PROG, argv[2], "BYTES");
    bench_watchdog(PROG, 300, NULL);

    /* argv of the writer: WRITER BYTES [PIPE_SIZE] */
    char *child_argv[] = {argv[1], argv[2], argc == 4 ? argv[3] : NULL, NULL};

    static char buf[64 * 1024];
    int devnull = bench_open_devnull(PROG, O_RDONLY);
    long long start = bench_now_ns();

    int out;
    pid_t pid = bench_spawn_piped(PROG, child_argv, devnull, 0, &out);
    current_child = pid;

    unsigned long long total = 0;
    for (;;) {
        ssize_t n = read(out, buf, sizeof buf);
        if (n > 0) {
            total += (unsigned long long) n;
        } else if (n == 0) {
            break;
        } else if (errno != EINTR) {
            bench_fail(PROG, "read");
        }
    }
    close(out);

    int status;
    while (waitpid(pid, &status, 0) < 0) {
        if (errno != EINTR) bench_fail(PROG, "waitpid");
    }
    current_child = 0;
    double seconds = (double) (bench_now_ns() - start) / 1e9;

    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
        fprintf(stderr, PROG ": writer ended with status 0x%x\n", status);
        return 1;
    }
    if (total != expected) {
        fprintf(stderr, PROG ": read %llu bytes, expected %llu\n", total, expected);
        return 1;
    }
    printf("RESULT throughput c-read mb_per_s %.1f MiB/s\n", (double) total / 1048576.0 / seconds);
    printf("RESULT throughput c-read seconds %.3f s\n", seconds);
    return 0;
}
