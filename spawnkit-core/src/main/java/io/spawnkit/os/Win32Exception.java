package io.spawnkit.os;

import io.spawnkit.internal.windows.Win32Errors;

/**
 * A Win32 call of {@link Win32} failed: carries the function, the {@code GetLastError} code and its
 * SDK name, e.g. {@code WaitForSingleObject: ERROR_INVALID_HANDLE (invalid handle)}.
 * ({@link Win32#CreateProcess} reports failure as an {@link io.spawnkit.SpawnException} instead,
 * like every other way of starting a child.)
 */
public final class Win32Exception extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final String function;
    private final int code;

    /**
     * @param function the Win32 function that failed ({@code CreatePipe})
     * @param code     its {@code GetLastError} value
     */
    public Win32Exception(String function, int code) {
        super(function + ": " + Win32Errors.describe(code));
        this.function = function;
        this.code = code;
    }

    /** The Win32 function that failed, e.g. {@code CreatePipe}. */
    public String function() {
        return function;
    }

    /** The {@code GetLastError} code, e.g. 6. */
    public int code() {
        return code;
    }

    /** The code's SDK name, e.g. {@code ERROR_INVALID_HANDLE}. */
    public String codeName() {
        return Win32Errors.name(code);
    }
}
