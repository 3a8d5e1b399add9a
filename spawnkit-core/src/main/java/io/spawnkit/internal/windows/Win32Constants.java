package io.spawnkit.internal.windows;

/**
 * Constants of the Windows SDK headers the Windows backend uses, under their SDK names, with the
 * SDK's values: {@code DWORD} values as Java {@code int} (so {@code 0xFFFFFFFF} is {@code -1}),
 * pointer-sized values ({@code HANDLE}, {@code DWORD_PTR}) as {@code long}. Loads on every platform;
 * {@code Win32LayoutTest} compares every field with the headers through the mingw-w64 compiler.
 */
public final class Win32Constants {
    private Win32Constants() {}

    // <winbase.h>, <synchapi.h>: waits
    public static final int WAIT_OBJECT_0 = 0;
    public static final int WAIT_ABANDONED = 0x80;
    public static final int WAIT_TIMEOUT = 258;
    public static final int WAIT_FAILED = 0xFFFFFFFF;
    public static final int INFINITE = 0xFFFFFFFF;
    /** GetExitCodeProcess's answer while the process runs (a process may also exit with 259). */
    public static final int STILL_ACTIVE = 259;
    /** A process's exit code when it was ended by Ctrl+C (0xC000013A, an NTSTATUS). */
    public static final int STATUS_CONTROL_C_EXIT = 0xC000013A;

    // <handleapi.h>, <winbase.h>, <winnt.h>: handles
    public static final long INVALID_HANDLE_VALUE = -1L;
    public static final int HANDLE_FLAG_INHERIT = 0x1;
    public static final int HANDLE_FLAG_PROTECT_FROM_CLOSE = 0x2;
    public static final int DUPLICATE_CLOSE_SOURCE = 0x1;
    public static final int DUPLICATE_SAME_ACCESS = 0x2;
    public static final int STD_INPUT_HANDLE = -10;
    public static final int STD_OUTPUT_HANDLE = -11;
    public static final int STD_ERROR_HANDLE = -12;

    // <winbase.h>: dwCreationFlags of CreateProcessW
    public static final int DEBUG_PROCESS = 0x1;
    public static final int DEBUG_ONLY_THIS_PROCESS = 0x2;
    public static final int CREATE_SUSPENDED = 0x4;
    public static final int DETACHED_PROCESS = 0x8;
    public static final int CREATE_NEW_CONSOLE = 0x10;
    public static final int CREATE_NEW_PROCESS_GROUP = 0x200;
    public static final int CREATE_UNICODE_ENVIRONMENT = 0x400;
    public static final int EXTENDED_STARTUPINFO_PRESENT = 0x80000;
    public static final int CREATE_BREAKAWAY_FROM_JOB = 0x01000000;
    public static final int CREATE_DEFAULT_ERROR_MODE = 0x04000000;
    public static final int CREATE_NO_WINDOW = 0x08000000;

    // <winbase.h>, <winuser.h>: STARTUPINFOW
    public static final int STARTF_USESHOWWINDOW = 0x1;
    public static final int STARTF_USESTDHANDLES = 0x100;
    public static final int SW_HIDE = 0;
    public static final int SW_SHOWNORMAL = 1;

    // <winbase.h> (processthreadsapi.h): ProcThreadAttributeValue(2, FALSE, TRUE, FALSE)
    public static final long PROC_THREAD_ATTRIBUTE_HANDLE_LIST = 0x20002L;

    // <winbase.h>, <winnt.h>: pipes and files
    public static final int PIPE_ACCESS_INBOUND = 0x1;
    public static final int PIPE_ACCESS_OUTBOUND = 0x2;
    public static final int PIPE_ACCESS_DUPLEX = 0x3;
    public static final int FILE_FLAG_OVERLAPPED = 0x40000000;
    public static final int FILE_FLAG_FIRST_PIPE_INSTANCE = 0x00080000;
    public static final int PIPE_TYPE_BYTE = 0x0;
    public static final int PIPE_READMODE_BYTE = 0x0;
    public static final int PIPE_WAIT = 0x0;
    public static final int PIPE_NOWAIT = 0x1;
    public static final int PIPE_REJECT_REMOTE_CLIENTS = 0x8;
    public static final int PIPE_UNLIMITED_INSTANCES = 255;
    public static final int GENERIC_READ = 0x80000000;
    public static final int GENERIC_WRITE = 0x40000000;
    public static final int FILE_READ_DATA = 0x1;
    public static final int FILE_WRITE_DATA = 0x2;
    public static final int FILE_APPEND_DATA = 0x4;
    public static final int FILE_READ_ATTRIBUTES = 0x80;
    public static final int FILE_WRITE_ATTRIBUTES = 0x100;
    public static final int FILE_SHARE_READ = 0x1;
    public static final int FILE_SHARE_WRITE = 0x2;
    public static final int FILE_SHARE_DELETE = 0x4;
    public static final int CREATE_NEW = 1;
    public static final int CREATE_ALWAYS = 2;
    public static final int OPEN_EXISTING = 3;
    public static final int OPEN_ALWAYS = 4;
    public static final int TRUNCATE_EXISTING = 5;
    public static final int FILE_ATTRIBUTE_NORMAL = 0x80;
    public static final int MAX_PATH = 260;

    // <winerror.h>: the errors spawning and pipe I/O meet (names and messages in Win32Errors)
    public static final int ERROR_SUCCESS = 0;
    public static final int ERROR_INVALID_FUNCTION = 1;
    public static final int ERROR_FILE_NOT_FOUND = 2;
    public static final int ERROR_PATH_NOT_FOUND = 3;
    public static final int ERROR_TOO_MANY_OPEN_FILES = 4;
    public static final int ERROR_ACCESS_DENIED = 5;
    public static final int ERROR_INVALID_HANDLE = 6;
    public static final int ERROR_NOT_ENOUGH_MEMORY = 8;
    public static final int ERROR_BAD_ENVIRONMENT = 10;
    public static final int ERROR_INVALID_DATA = 13;
    public static final int ERROR_OUTOFMEMORY = 14;
    public static final int ERROR_SHARING_VIOLATION = 32;
    public static final int ERROR_HANDLE_EOF = 38;
    public static final int ERROR_NOT_SUPPORTED = 50;
    public static final int ERROR_INVALID_PARAMETER = 87;
    public static final int ERROR_BROKEN_PIPE = 109;
    public static final int ERROR_INSUFFICIENT_BUFFER = 122;
    public static final int ERROR_INVALID_NAME = 123;
    public static final int ERROR_BAD_PATHNAME = 161;
    public static final int ERROR_ALREADY_EXISTS = 183;
    public static final int ERROR_BAD_EXE_FORMAT = 193;
    public static final int ERROR_ENVVAR_NOT_FOUND = 203;
    public static final int ERROR_FILENAME_EXCED_RANGE = 206;
    public static final int ERROR_EXE_MACHINE_TYPE_MISMATCH = 216;
    public static final int ERROR_BAD_PIPE = 230;
    public static final int ERROR_PIPE_BUSY = 231;
    public static final int ERROR_NO_DATA = 232;
    public static final int ERROR_PIPE_NOT_CONNECTED = 233;
    public static final int ERROR_MORE_DATA = 234;
    public static final int ERROR_DIRECTORY = 267;
    public static final int ERROR_PIPE_CONNECTED = 535;
    public static final int ERROR_ELEVATION_REQUIRED = 740;
    public static final int ERROR_OPERATION_ABORTED = 995;
    public static final int ERROR_IO_INCOMPLETE = 996;
    public static final int ERROR_IO_PENDING = 997;
    public static final int ERROR_NOACCESS = 998;
    public static final int ERROR_NOT_FOUND = 1168;
    public static final int ERROR_CANCELLED = 1223;
    public static final int ERROR_PRIVILEGE_NOT_HELD = 1314;
    public static final int ERROR_NO_SYSTEM_RESOURCES = 1450;
    public static final int ERROR_COMMITMENT_LIMIT = 1455;

    // <winnt.h>: job objects (JOBOBJECTINFOCLASS and LimitFlags)
    public static final int JobObjectBasicLimitInformation = 2;
    public static final int JobObjectExtendedLimitInformation = 9;
    public static final int JOB_OBJECT_LIMIT_DIE_ON_UNHANDLED_EXCEPTION = 0x400;
    public static final int JOB_OBJECT_LIMIT_BREAKAWAY_OK = 0x800;
    public static final int JOB_OBJECT_LIMIT_SILENT_BREAKAWAY_OK = 0x1000;
    public static final int JOB_OBJECT_LIMIT_KILL_ON_JOB_CLOSE = 0x2000;

    // <wincon.h>: console control events
    public static final int CTRL_C_EVENT = 0;
    public static final int CTRL_BREAK_EVENT = 1;

    // <winnt.h>: RegisterWaitForSingleObject flags
    public static final int WT_EXECUTEDEFAULT = 0x0;
    public static final int WT_EXECUTEINWAITTHREAD = 0x4;
    public static final int WT_EXECUTEONLYONCE = 0x8;

    // <winnt.h>: process access rights
    public static final int PROCESS_TERMINATE = 0x1;
    public static final int PROCESS_DUP_HANDLE = 0x40;
    public static final int PROCESS_SET_QUOTA = 0x100;
    public static final int PROCESS_QUERY_INFORMATION = 0x400;
    public static final int PROCESS_QUERY_LIMITED_INFORMATION = 0x1000;
    public static final int SYNCHRONIZE = 0x00100000;
}
