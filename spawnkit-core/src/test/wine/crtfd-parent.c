/*
 * spawnkit Wine oracle for CrtFdTable: starts one child with lpReserved2 = the table the Java test
 * made, and reports what came back through the pipe at the child's descriptor 3.
 *
 *   crtfd-parent.exe <child.exe> <table as hex> <out folder> <name>
 *
 * The table is CrtFdTable's bytes as they are, except that its handles are markers the Java side
 * cannot know the real values of: the 8-byte little-endian value 0x73706b00000KKKFF (KKK a kind,
 * FF the descriptor) anywhere in the bytes is replaced by a new inheritable handle of that kind:
 *   kind 1: the write end of a pipe (the parent reads it)
 *   kind 2: a disk file <out>\<name>-fd<FF>.txt, created
 *   kind 3: the NUL device, for writing
 * Nothing else is touched: where CrtFdTable puts count, flags and handles is what is under test.
 * The child's stdout is <out>\<name>-stdout.txt (STARTF_USESTDHANDLES; the table leaves 0..2 empty).
 * Writes <out>\<name>-report.txt: "parent fd <FF> <handle>" per replaced marker, "parent stdout
 * <handle>", "exit <code>", then "pipe:" and the bytes the child wrote on the pipe. Exit code 0
 * when it got that far. Never writes to its own stdout (see README: Wine's services keep it).
 */
#include <windows.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

#define MARK 0x73706b0000000000ULL
#define MARK_MASK 0xffffffffff000000ULL

static HANDLE inheritable_file(const wchar_t *path, DWORD access, DWORD disposition) {
    SECURITY_ATTRIBUTES sa = { sizeof sa, NULL, TRUE };
    return CreateFileW(path, access, FILE_SHARE_READ | FILE_SHARE_WRITE, &sa, disposition, FILE_ATTRIBUTE_NORMAL, NULL);
}

int wmain(int argc, wchar_t **argv) {
    if (argc != 5) return 64;
    const wchar_t *child = argv[1], *hex = argv[2], *out = argv[3], *name = argv[4];
    size_t len = wcslen(hex) / 2;
    unsigned char *table = malloc(len + 1);
    for (size_t i = 0; i < len; i++) {
        wchar_t pair[3] = { hex[2 * i], hex[2 * i + 1], 0 };
        table[i] = (unsigned char) wcstoul(pair, NULL, 16);
    }
    wchar_t path[1024];
    swprintf(path, 1024, L"%ls\\%ls-report.txt", out, name);
    FILE *report = _wfopen(path, L"wb");
    if (!report) return 65;

    HANDLE pipe_read = NULL, pipe_write = NULL;
    for (size_t i = 0; i + 8 <= len; i++) {
        unsigned long long v;
        memcpy(&v, table + i, 8);
        if ((v & MARK_MASK) != MARK) continue;
        int fd = (int) (v & 0xff), kind = (int) ((v >> 8) & 0xfff);
        HANDLE h = INVALID_HANDLE_VALUE;
        if (kind == 1) {
            SECURITY_ATTRIBUTES sa = { sizeof sa, NULL, TRUE };
            if (!CreatePipe(&pipe_read, &pipe_write, &sa, 65536)) return 66;
            SetHandleInformation(pipe_read, HANDLE_FLAG_INHERIT, 0);
            h = pipe_write;
        } else if (kind == 2) {
            swprintf(path, 1024, L"%ls\\%ls-fd%d.txt", out, name, fd);
            h = inheritable_file(path, GENERIC_WRITE, CREATE_ALWAYS);
        } else if (kind == 3) {
            h = inheritable_file(L"NUL", GENERIC_WRITE, OPEN_EXISTING);
        }
        if (h == INVALID_HANDLE_VALUE || h == NULL) {
            fprintf(report, "error kind %d fd %d: %lu\n", kind, fd, (unsigned long) GetLastError());
            fclose(report);
            return 67;
        }
        unsigned long long hv = (unsigned long long) (ULONG_PTR) h;
        memcpy(table + i, &hv, 8);
        fprintf(report, "parent fd %d %lld\n", fd, (long long) (LONG_PTR) h);
        i += 7;
    }
    swprintf(path, 1024, L"%ls\\%ls-stdout.txt", out, name);
    HANDLE std_out = inheritable_file(path, GENERIC_WRITE, CREATE_ALWAYS);
    fprintf(report, "parent stdout %lld\n", (long long) (LONG_PTR) std_out);

    STARTUPINFOW si;
    memset(&si, 0, sizeof si);
    si.cb = sizeof si;
    si.dwFlags = STARTF_USESTDHANDLES;
    si.hStdInput = NULL;
    si.hStdOutput = std_out;
    si.hStdError = std_out;
    si.cbReserved2 = (WORD) len;
    si.lpReserved2 = table;
    PROCESS_INFORMATION pi;
    wchar_t cmdline[] = L"crtfd-child";
    BOOL ok = CreateProcessW(child, cmdline, NULL, NULL, TRUE, 0, NULL, NULL, &si, &pi);
    if (!ok && GetLastError() == 1359) ok = CreateProcessW(child, cmdline, NULL, NULL, TRUE, 0, NULL, NULL, &si, &pi);
    if (!ok) {
        fprintf(report, "error CreateProcessW %lu\n", (unsigned long) GetLastError());
        fclose(report);
        return 68;
    }
    CloseHandle(pi.hThread);
    DWORD code = 999;
    if (WaitForSingleObject(pi.hProcess, 60000) != WAIT_OBJECT_0) {
        TerminateProcess(pi.hProcess, 99);
        WaitForSingleObject(pi.hProcess, INFINITE);
    }
    GetExitCodeProcess(pi.hProcess, &code);
    fprintf(report, "exit %lu\npipe:", (unsigned long) code);
    /* the child has ended: once our write end is closed the pipe ends after what it wrote */
    if (pipe_write) CloseHandle(pipe_write);
    if (pipe_read) {
        char buf[4096];
        DWORD n;
        while (ReadFile(pipe_read, buf, sizeof buf, &n, NULL) && n > 0) fwrite(buf, 1, n, report);
    }
    fclose(report);
    return 0;
}
