package io.spawnkit.internal.windows;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;

/**
 * {@code GetFileType}, for the C runtime flags of a handle the backend did not make itself (a
 * descriptor of this JVM given to a child above 2). A private binding, kept out of
 * {@link Kernel32} in this change (its owner reviews additions there); the reviewer may move it.
 * Linked on first use, so the class loads on every platform. <b>Only compiled so far.</b>
 *
 * <p>Hazard: on a synchronous pipe with a read pending in another thread GetFileType can wait for
 * that read (the C runtime avoids calling it on entries flagged FPIPE for this reason). The backend
 * therefore calls it only for handles whose type it does not know from making them.
 */
final class FileTypes {
    private FileTypes() {}

    private static final class Binding {
        static final MethodHandle GET_FILE_TYPE = Linker.nativeLinker().downcallHandle(
                SymbolLookup.libraryLookup("kernel32", Arena.global()).find("GetFileType")
                        .orElseThrow(() -> new UnsatisfiedLinkError("kernel32 has no GetFileType")),
                FunctionDescriptor.of(JAVA_INT, JAVA_LONG));
    }

    /** {@code DWORD GetFileType(HANDLE)}: FILE_TYPE_DISK, _CHAR, _PIPE, _REMOTE or _UNKNOWN (0). */
    static int GetFileType(long handle) {
        try {
            return (int) Binding.GET_FILE_TYPE.invokeExact(handle);
        } catch (Throwable t) {
            throw new AssertionError(t);
        }
    }
}
