/*
 * writer: the child of the throughput benchmark.
 *
 *   writer BYTES [PIPE_SIZE]
 *
 * Writes BYTES bytes of a fixed pattern to stdout in 64 KiB writes and exits 0. If PIPE_SIZE is
 * given, stdout (which must then be a pipe) is first resized with fcntl(F_SETPIPE_SZ), so that
 * every reader under test gets the same pipe whatever its own API lets it set.
 */
#include "bench.h"

#define PROG "writer"
#define CHUNK (64 * 1024)

int main(int argc, char **argv) {
    if (argc < 2 || argc > 3) {
        fprintf(stderr, "usage: " PROG " BYTES [PIPE_SIZE]\n");
        return 2;
    }
    unsigned long long remaining = bench_parse_size(PROG, argv[1], "BYTES");
    if (argc == 3) {
        unsigned long long size = bench_parse_size(PROG, argv[2], "PIPE_SIZE");
        if (fcntl(1, F_SETPIPE_SZ, (int) size) < 0) {
            perror(PROG ": fcntl(F_SETPIPE_SZ)");
            return 1;
        }
    }

    static char buf[CHUNK];
    for (size_t i = 0; i < sizeof buf; i++) buf[i] = (char) ('a' + i % 26);

    while (remaining > 0) {
        size_t want = remaining < CHUNK ? (size_t) remaining : CHUNK;
        size_t done = 0;
        while (done < want) { /* a pipe may take less than we offer: write the rest */
            ssize_t n = write(1, buf + done, want - done);
            if (n < 0) {
                if (errno == EINTR) continue;
                perror(PROG ": write");
                return 1;
            }
            done += (size_t) n;
        }
        remaining -= want;
    }
    return 0;
}
