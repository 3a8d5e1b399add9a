/*
 * linerate: the reader at the end of the relay benchmark (bench/relay). It reads a tool's output
 * from stdin to EOF, finds the lines the `lines` helper printed ("line NNNNNNNN of the relay
 * benchmark..." after whatever prefix the tool adds), checks that they come in order, and prints
 *
 *   <helper lines seen> <1 if in order, else 0> <ns: first helper line> <ns: EOF> <all lines>
 *
 * with CLOCK_MONOTONIC stamps (bench_now_ns), so that the relay rate can be taken between the
 * first relayed line and the end, without the tool's own start-up.
 */
#include "bench.h"

static const char MARK[] = " of the relay benchmark";

int main(void) {
    static char buf[1 << 16];
    static char line[4096];
    size_t len = 0;
    long long first = 0, seen = 0, all = 0, expect = 0;
    int in_order = 1;
    for (;;) {
        ssize_t n = read(0, buf, sizeof buf);
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) bench_fail("linerate", "read");
        if (n == 0) break;
        for (ssize_t i = 0; i < n; i++) {
            char c = buf[i];
            if (c != '\n') {
                if (len < sizeof line - 1) line[len++] = c;
                continue;
            }
            line[len] = '\0';
            all++;
            char *m = strstr(line, MARK);
            if (m != NULL && m - line >= 13 && memcmp(m - 13, "line ", 5) == 0) {
                if (seen == 0) first = bench_now_ns();
                long long k = strtoll(m - 8, NULL, 10);
                if (k != expect) in_order = 0;
                expect = k + 1;
                seen++;
            }
            len = 0;
        }
    }
    long long end = bench_now_ns();
    printf("%lld %d %lld %lld %lld\n", seen, in_order, first, end, all);
    return 0;
}
