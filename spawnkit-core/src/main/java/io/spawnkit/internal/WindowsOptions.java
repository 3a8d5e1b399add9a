package io.spawnkit.internal;

/**
 * The options only Windows reads (libuv's {@code UV_PROCESS_WINDOWS_*} flags); other backends
 * ignore them, as libuv does on Unix.
 *
 * @param verbatimArguments the arguments after the program go into the command line unchanged,
 *                          joined by spaces, instead of quoted for CommandLineToArgvW
 * @param hide              neither a console window nor the program's main window is shown
 * @param hideConsole       no console window is created for a console program
 * @param hideGui           a GUI program's main window starts hidden (SW_HIDE)
 * @param searchCurrentDirectory a bare program name is looked for in the child's working directory
 *                          before PATH, as cmd.exe does
 */
public record WindowsOptions(boolean verbatimArguments, boolean hide, boolean hideConsole, boolean hideGui,
        boolean searchCurrentDirectory) {
    /** No Windows option set. */
    public static final WindowsOptions NONE = new WindowsOptions(false, false, false, false, false);
}
