/*
 * lines: the child of the relay benchmark (bench/relay). `lines N` prints N numbered lines of
 * about 60 bytes through one 64 KiB stdio buffer and exits 0: the fastest a helper can write
 * lines, so what is measured is the tool relaying them.
 */
#include "bench.h"

int main(int argc, char **argv) {
    if (argc != 2) {
        fprintf(stderr, "usage: lines N\n");
        return 2;
    }
    char *end;
    long n = strtol(argv[1], &end, 10);
    if (*argv[1] == '\0' || *end != '\0' || n < 0) {
        fprintf(stderr, "lines: N must be a number >= 0, got '%s'\n", argv[1]);
        return 2;
    }
    static char buf[64 * 1024];
    setvbuf(stdout, buf, _IOFBF, sizeof buf);
    for (long i = 0; i < n; i++) {
        if (printf("line %08ld of the relay benchmark, some words to carry\n", i) < 0) return 1;
    }
    return fflush(stdout) == 0 ? 0 : 1;
}
