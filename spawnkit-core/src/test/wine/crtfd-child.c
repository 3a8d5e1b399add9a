/*
 * spawnkit Wine oracle for CrtFdTable, the child: reports what its C runtime (msvcrt.dll or the
 * UCRT, whichever it was linked with) made of the descriptor table in its lpReserved2, using only
 * the runtime's own calls on descriptors. On descriptor 3, with _write:
 *   "fd N handle H tty T" for N = 0..8 (H = _get_osfhandle(N) as a signed integer, T = _isatty(N))
 *   "stdout H" (GetStdHandle(STD_OUTPUT_HANDLE), to compare with fd 1)
 * Then "file-ok" on descriptor 5 and "stdout-ok" on descriptor 1. Exit 0, or 2 if a _write failed.
 */
#include <windows.h>
#include <io.h>
#include <stdio.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static int failed;

/* _get_osfhandle and _isatty on a descriptor that is not open call the invalid-parameter handler,
   whose default ends the process (UCRT): a gap in the table must answer -1 instead */
static void ignore_invalid_parameter(const wchar_t *e, const wchar_t *f, const wchar_t *file, unsigned int line,
        uintptr_t reserved) {
    (void) e; (void) f; (void) file; (void) line; (void) reserved;
}

static void put(int fd, const char *text) {
    int len = (int) strlen(text);
    if (_write(fd, text, len) != len) failed = 1;
}

int main(void) {
    char line[128];
    _set_invalid_parameter_handler(ignore_invalid_parameter);
    for (int fd = 0; fd <= 8; fd++) {
        snprintf(line, sizeof line, "fd %d handle %lld tty %d\n", fd, (long long) _get_osfhandle(fd), _isatty(fd) ? 1 : 0);
        put(3, line);
    }
    snprintf(line, sizeof line, "stdout %lld\n", (long long) (LONG_PTR) GetStdHandle(STD_OUTPUT_HANDLE));
    put(3, line);
    put(5, "file-ok");
    put(1, "stdout-ok");
    return failed ? 2 : 0;
}
