package io.spawnkit.internal.windows;

import static io.spawnkit.internal.windows.Win32Constants.*;

/**
 * Names and short descriptions of the {@code GetLastError} codes that spawning and pipe I/O meet,
 * so that a failure reads {@code CreateProcessW: ERROR_FILE_NOT_FOUND (the file was not found)}
 * without FormatMessageW. Loads on every platform.
 *
 * <table class="striped">
 *   <caption>name and message</caption>
 *   <tr><th>code</th><th>name</th><th>typical cause when spawning</th></tr>
 *   <tr><td>2</td><td>ERROR_FILE_NOT_FOUND</td><td>the program does not exist</td></tr>
 *   <tr><td>3</td><td>ERROR_PATH_NOT_FOUND</td><td>a directory in the program's path does not exist</td></tr>
 *   <tr><td>5</td><td>ERROR_ACCESS_DENIED</td><td>not executable by us, or a directory</td></tr>
 *   <tr><td>193</td><td>ERROR_BAD_EXE_FORMAT</td><td>not a Windows executable</td></tr>
 *   <tr><td>267</td><td>ERROR_DIRECTORY</td><td>the working directory is invalid</td></tr>
 *   <tr><td>740</td><td>ERROR_ELEVATION_REQUIRED</td><td>the program asks for administrator rights</td></tr>
 *   <tr><td>12345</td><td>ERROR_12345</td><td>"Win32 error 12345"</td></tr>
 * </table>
 */
public final class Win32Errors {
    private Win32Errors() {}

    /** The SDK name of {@code code} ({@code ERROR_FILE_NOT_FOUND}), or {@code ERROR_<code>} when unknown here. */
    public static String name(int code) {
        return switch (code) {
            case ERROR_SUCCESS -> "ERROR_SUCCESS";
            case ERROR_INVALID_FUNCTION -> "ERROR_INVALID_FUNCTION";
            case ERROR_FILE_NOT_FOUND -> "ERROR_FILE_NOT_FOUND";
            case ERROR_PATH_NOT_FOUND -> "ERROR_PATH_NOT_FOUND";
            case ERROR_TOO_MANY_OPEN_FILES -> "ERROR_TOO_MANY_OPEN_FILES";
            case ERROR_ACCESS_DENIED -> "ERROR_ACCESS_DENIED";
            case ERROR_INVALID_HANDLE -> "ERROR_INVALID_HANDLE";
            case ERROR_NOT_ENOUGH_MEMORY -> "ERROR_NOT_ENOUGH_MEMORY";
            case ERROR_BAD_ENVIRONMENT -> "ERROR_BAD_ENVIRONMENT";
            case ERROR_INVALID_DATA -> "ERROR_INVALID_DATA";
            case ERROR_OUTOFMEMORY -> "ERROR_OUTOFMEMORY";
            case ERROR_SHARING_VIOLATION -> "ERROR_SHARING_VIOLATION";
            case ERROR_HANDLE_EOF -> "ERROR_HANDLE_EOF";
            case ERROR_NOT_SUPPORTED -> "ERROR_NOT_SUPPORTED";
            case ERROR_INVALID_PARAMETER -> "ERROR_INVALID_PARAMETER";
            case ERROR_BROKEN_PIPE -> "ERROR_BROKEN_PIPE";
            case ERROR_INSUFFICIENT_BUFFER -> "ERROR_INSUFFICIENT_BUFFER";
            case ERROR_INVALID_NAME -> "ERROR_INVALID_NAME";
            case ERROR_BAD_PATHNAME -> "ERROR_BAD_PATHNAME";
            case ERROR_ALREADY_EXISTS -> "ERROR_ALREADY_EXISTS";
            case ERROR_BAD_EXE_FORMAT -> "ERROR_BAD_EXE_FORMAT";
            case ERROR_ENVVAR_NOT_FOUND -> "ERROR_ENVVAR_NOT_FOUND";
            case ERROR_FILENAME_EXCED_RANGE -> "ERROR_FILENAME_EXCED_RANGE";
            case ERROR_EXE_MACHINE_TYPE_MISMATCH -> "ERROR_EXE_MACHINE_TYPE_MISMATCH";
            case ERROR_BAD_PIPE -> "ERROR_BAD_PIPE";
            case ERROR_PIPE_BUSY -> "ERROR_PIPE_BUSY";
            case ERROR_NO_DATA -> "ERROR_NO_DATA";
            case ERROR_PIPE_NOT_CONNECTED -> "ERROR_PIPE_NOT_CONNECTED";
            case ERROR_MORE_DATA -> "ERROR_MORE_DATA";
            case WAIT_TIMEOUT -> "WAIT_TIMEOUT";
            case ERROR_DIRECTORY -> "ERROR_DIRECTORY";
            case ERROR_PIPE_CONNECTED -> "ERROR_PIPE_CONNECTED";
            case ERROR_ELEVATION_REQUIRED -> "ERROR_ELEVATION_REQUIRED";
            case ERROR_OPERATION_ABORTED -> "ERROR_OPERATION_ABORTED";
            case ERROR_IO_INCOMPLETE -> "ERROR_IO_INCOMPLETE";
            case ERROR_IO_PENDING -> "ERROR_IO_PENDING";
            case ERROR_NOACCESS -> "ERROR_NOACCESS";
            case ERROR_NOT_FOUND -> "ERROR_NOT_FOUND";
            case ERROR_CANCELLED -> "ERROR_CANCELLED";
            case ERROR_PRIVILEGE_NOT_HELD -> "ERROR_PRIVILEGE_NOT_HELD";
            case ERROR_NO_SYSTEM_RESOURCES -> "ERROR_NO_SYSTEM_RESOURCES";
            case ERROR_COMMITMENT_LIMIT -> "ERROR_COMMITMENT_LIMIT";
            default -> "ERROR_" + Integer.toUnsignedString(code);
        };
    }

    /** A short description of {@code code}, in our words; {@code Win32 error <code>} when unknown here. */
    public static String message(int code) {
        return switch (code) {
            case ERROR_SUCCESS -> "success";
            case ERROR_INVALID_FUNCTION -> "invalid function";
            case ERROR_FILE_NOT_FOUND -> "the file was not found";
            case ERROR_PATH_NOT_FOUND -> "the path was not found";
            case ERROR_TOO_MANY_OPEN_FILES -> "too many open files";
            case ERROR_ACCESS_DENIED -> "access denied";
            case ERROR_INVALID_HANDLE -> "invalid handle";
            case ERROR_NOT_ENOUGH_MEMORY -> "not enough memory";
            case ERROR_BAD_ENVIRONMENT -> "the environment block is invalid";
            case ERROR_INVALID_DATA -> "invalid data";
            case ERROR_OUTOFMEMORY -> "out of memory";
            case ERROR_SHARING_VIOLATION -> "the file is in use by another process";
            case ERROR_HANDLE_EOF -> "end of file";
            case ERROR_NOT_SUPPORTED -> "not supported";
            case ERROR_INVALID_PARAMETER -> "invalid parameter";
            case ERROR_BROKEN_PIPE -> "the pipe has been ended";
            case ERROR_INSUFFICIENT_BUFFER -> "the buffer is too small";
            case ERROR_INVALID_NAME -> "the file name, directory name or volume label syntax is invalid";
            case ERROR_BAD_PATHNAME -> "the path is invalid";
            case ERROR_ALREADY_EXISTS -> "it already exists";
            case ERROR_BAD_EXE_FORMAT -> "not a valid Windows application";
            case ERROR_ENVVAR_NOT_FOUND -> "the environment variable was not found";
            case ERROR_FILENAME_EXCED_RANGE -> "the file name or command line is too long";
            case ERROR_EXE_MACHINE_TYPE_MISMATCH -> "the program is for another machine type";
            case ERROR_BAD_PIPE -> "the pipe state is invalid";
            case ERROR_PIPE_BUSY -> "all pipe instances are busy";
            case ERROR_NO_DATA -> "the pipe is being closed";
            case ERROR_PIPE_NOT_CONNECTED -> "no process is on the other end of the pipe";
            case ERROR_MORE_DATA -> "more data is available";
            case WAIT_TIMEOUT -> "the wait timed out";
            case ERROR_DIRECTORY -> "the directory name is invalid";
            case ERROR_PIPE_CONNECTED -> "a process is already on the other end of the pipe";
            case ERROR_ELEVATION_REQUIRED -> "the program requires elevation";
            case ERROR_OPERATION_ABORTED -> "the I/O operation was aborted";
            case ERROR_IO_INCOMPLETE -> "the overlapped I/O is not complete";
            case ERROR_IO_PENDING -> "overlapped I/O is in progress";
            case ERROR_NOACCESS -> "invalid access to memory";
            case ERROR_NOT_FOUND -> "element not found";
            case ERROR_CANCELLED -> "the operation was cancelled";
            case ERROR_PRIVILEGE_NOT_HELD -> "a required privilege is not held";
            case ERROR_NO_SYSTEM_RESOURCES -> "insufficient system resources";
            case ERROR_COMMITMENT_LIMIT -> "the paging file is too small";
            default -> "Win32 error " + Integer.toUnsignedString(code);
        };
    }

    /** {@code NAME (message)}, as a failure message ends: {@code ERROR_ACCESS_DENIED (access denied)}. */
    public static String describe(int code) {
        return name(code) + " (" + message(code) + ")";
    }
}
