/*
 * spawnkit Wine oracle, the child: writes one JSON line to <SPAWNKIT_ORACLE_OUT>\<case>.json, where
 * SPAWNKIT_ORACLE_OUT names a folder and SPAWNKIT_ORACLE_CASE the case (one file per case, so that
 * children running at once never share a file):
 *
 *   {"case":"<SPAWNKIT_ORACLE_CASE>","crt":[...],"shell":[...],"raw":"..."}
 *
 * crt   = the argv the C runtime parsed: wide (wmain) by default, narrow (main, code page
 *         CP_ACP, widened back) when built with -DORACLE_NARROW;
 * shell = CommandLineToArgvW(GetCommandLineW());
 * raw   = GetCommandLineW().
 * Strings are JSON with every character outside printable ASCII as \uXXXX (UTF-16 units), so the
 * file is plain ASCII whatever the code pages. Output goes to a file, never to stdout (see probe.c).
 */
#include <windows.h>
#include <shellapi.h>
#include <stdlib.h>
#include <string.h>

static char *out;
static size_t used, cap;

static void put(const char *s, size_t n) {
    if (used + n > cap) {
        cap = (used + n) * 2 + 256;
        out = realloc(out, cap);
    }
    memcpy(out + used, s, n);
    used += n;
}

static void puts_(const char *s) { put(s, strlen(s)); }

static void put_string(const wchar_t *s) {
    static const char hex[] = "0123456789abcdef";
    put("\"", 1);
    for (; s && *s; s++) {
        unsigned c = (unsigned) *s;
        if (c == '"' || c == '\\') {
            char e[2] = {'\\', (char) c};
            put(e, 2);
        } else if (c >= 0x20 && c < 0x7f) {
            char e = (char) c;
            put(&e, 1);
        } else {
            char e[6] = {'\\', 'u', hex[(c >> 12) & 15], hex[(c >> 8) & 15], hex[(c >> 4) & 15], hex[c & 15]};
            put(e, 6);
        }
    }
    put("\"", 1);
}

static void put_array(int argc, wchar_t **argv) {
    put("[", 1);
    for (int i = 0; i < argc; i++) {
        if (i > 0) put(",", 1);
        put_string(argv[i]);
    }
    put("]", 1);
}

static int emit(int argc, wchar_t **crt) {
    wchar_t number[32] = L"";
    wchar_t path[MAX_PATH * 4] = L"";
    GetEnvironmentVariableW(L"SPAWNKIT_ORACLE_CASE", number, 32);
    DWORD n = GetEnvironmentVariableW(L"SPAWNKIT_ORACLE_OUT", path, MAX_PATH * 3);
    if (n == 0 || n >= MAX_PATH * 3) return 10;
    lstrcatW(path, L"\\");
    lstrcatW(path, number);
    lstrcatW(path, L".json");
    const wchar_t *raw = GetCommandLineW();
    int shellc = 0;
    wchar_t **shell = CommandLineToArgvW(raw, &shellc);
    puts_("{\"case\":");
    put_string(number);
    puts_(",\"crt\":");
    put_array(argc, crt);
    puts_(",\"shell\":");
    put_array(shell ? shellc : 0, shell);
    puts_(",\"raw\":");
    put_string(raw);
    puts_("}\r\n");
    HANDLE h = CreateFileW(path, GENERIC_WRITE, FILE_SHARE_READ, NULL, CREATE_ALWAYS, FILE_ATTRIBUTE_NORMAL, NULL);
    if (h == INVALID_HANDLE_VALUE) return 11;
    DWORD written = 0;
    BOOL ok = WriteFile(h, out, (DWORD) used, &written, NULL);
    CloseHandle(h);
    return ok && written == used ? 0 : 12;
}

#ifdef ORACLE_NARROW
int main(int argc, char **argv) {
    wchar_t **wide = calloc((size_t) argc + 1, sizeof *wide);
    for (int i = 0; i < argc; i++) {
        int n = MultiByteToWideChar(CP_ACP, 0, argv[i], -1, NULL, 0);
        wide[i] = calloc((size_t) (n > 0 ? n : 1), sizeof(wchar_t));
        if (n > 0) MultiByteToWideChar(CP_ACP, 0, argv[i], -1, wide[i], n);
    }
    return emit(argc, wide);
}
#else
int wmain(int argc, wchar_t **argv) {
    return emit(argc, argv);
}
#endif
