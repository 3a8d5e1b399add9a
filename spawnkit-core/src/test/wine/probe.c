/*
 * spawnkit Wine oracle, the launcher: passes raw command lines to CreateProcessW unchanged.
 *
 *   probe.exe <records> <report> [<children at once>]
 *
 * <records> holds UTF-8 records "application\0command line\0", one per case. For case i the probe
 * sets SPAWNKIT_ORACLE_CASE=i (the child copies it into its output line), calls
 * CreateProcessW(application, <a writable copy of the command line>, ...) without any quoting of
 * its own and appends "i exit <code>" (when the child has ended) or "i error <GetLastError()>" to
 * <report>, in the order the children end. Up to <children at once> (default 1, at most 64)
 * children run at the same time: under Wine a process start is mostly waiting, not computing. Nothing goes to stdout: under Wine the first process's stdout is inherited by Wine's
 * own services, and a reader waiting for its end would hang.
 */
#include <windows.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static char *read_all(const wchar_t *path, DWORD *size) {
    HANDLE h = CreateFileW(path, GENERIC_READ, FILE_SHARE_READ, NULL, OPEN_EXISTING, 0, NULL);
    if (h == INVALID_HANDLE_VALUE) return NULL;
    DWORD len = GetFileSize(h, NULL), got = 0;
    char *buf = malloc(len + 1);
    while (buf && got < len) {
        DWORD n = 0;
        if (!ReadFile(h, buf + got, len - got, &n, NULL) || n == 0) { free(buf); buf = NULL; break; }
        got += n;
    }
    CloseHandle(h);
    if (buf) buf[len] = 0;
    *size = len;
    return buf;
}

static wchar_t *widen(const char *utf8) {
    int n = MultiByteToWideChar(CP_UTF8, 0, utf8, -1, NULL, 0);
    wchar_t *w = malloc(sizeof(wchar_t) * (n > 0 ? n : 1));
    if (n <= 0) { w[0] = 0; return w; }
    MultiByteToWideChar(CP_UTF8, 0, utf8, -1, w, n);
    return w;
}

/* the children running at once: their process handles and record numbers */
static HANDLE running[MAXIMUM_WAIT_OBJECTS];
static int running_index[MAXIMUM_WAIT_OBJECTS];
static int active;

/* waits for one running child to end and reports its exit code; returns 1 when it was not 0 */
static int reap_one(FILE *report) {
    DWORD w = WaitForMultipleObjects((DWORD) active, running, FALSE, INFINITE);
    int slot = w >= WAIT_OBJECT_0 && w < WAIT_OBJECT_0 + (DWORD) active ? (int) (w - WAIT_OBJECT_0) : 0;
    if (w == WAIT_FAILED) WaitForSingleObject(running[slot], INFINITE);
    DWORD code = 0;
    GetExitCodeProcess(running[slot], &code);
    CloseHandle(running[slot]);
    fprintf(report, "%d exit %lu\n", running_index[slot], (unsigned long) code);
    active--;
    running[slot] = running[active];
    running_index[slot] = running_index[active];
    return code != 0;
}

int wmain(int argc, wchar_t **argv) {
    if (argc != 3 && argc != 4) return 2;
    int parallel = argc == 4 ? _wtoi(argv[3]) : 1;
    if (parallel < 1) parallel = 1;
    if (parallel > MAXIMUM_WAIT_OBJECTS) parallel = MAXIMUM_WAIT_OBJECTS;
    DWORD size = 0;
    char *data = read_all(argv[1], &size);
    if (!data) return 3;
    FILE *report = _wfopen(argv[2], L"w");
    if (!report) return 4;
    int failures = 0;
    DWORD pos = 0;
    for (int index = 0; pos < size; index++) {
        const char *app = data + pos;
        pos += (DWORD) strlen(app) + 1;
        if (pos > size) break;
        const char *line = data + pos;
        pos += (DWORD) strlen(line) + 1;
        while (active >= parallel) failures += reap_one(report);

        /* the child inherits the environment as it is when it is created */
        wchar_t number[16];
        swprintf(number, 16, L"%d", index);
        SetEnvironmentVariableW(L"SPAWNKIT_ORACLE_CASE", number);
        wchar_t *wapp = widen(app);
        wchar_t *wline = widen(line);  /* CreateProcessW may write into lpCommandLine */
        STARTUPINFOW si;
        PROCESS_INFORMATION pi;
        BOOL ok = FALSE;
        DWORD error = 0;
        /* Wine's CreateProcessW now and then fails with 1359 (ERROR_INTERNAL_ERROR): retry once */
        for (int attempt = 0; attempt < 2 && !ok; attempt++) {
            memset(&si, 0, sizeof si);
            si.cb = sizeof si;
            memset(&pi, 0, sizeof pi);
            ok = CreateProcessW(*wapp ? wapp : NULL, wline, NULL, NULL, FALSE, 0, NULL, NULL, &si, &pi);
            error = ok ? 0 : GetLastError();
            if (!ok && error != ERROR_INTERNAL_ERROR) break;
        }
        if (ok) {
            CloseHandle(pi.hThread);
            running[active] = pi.hProcess;
            running_index[active] = index;
            active++;
        } else {
            fprintf(report, "%d error %lu\n", index, (unsigned long) error);
            failures++;
        }
        free(wapp);
        free(wline);
    }
    while (active > 0) failures += reap_one(report);
    fclose(report);
    free(data);
    return failures == 0 ? 0 : 1;
}
