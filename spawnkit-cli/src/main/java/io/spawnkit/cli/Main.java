package io.spawnkit.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code spawnkit} command line. */
@Command(name = "spawnkit", mixinStandardHelpOptions = true, version = Main.VERSION,
        description = "Child processes, done right: run commands and helper processes through spawnkit.",
        subcommands = {ExecCommand.class, RunCommand.class})
public final class Main implements Runnable {
    /** What {@code -V} prints, for every command. */
    static final String VERSION = "spawnkit 0.1.0-SNAPSHOT";

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.err);
    }

    /** Runs the command line and returns its exit code. */
    public static int run(String... args) {
        return new CommandLine(new Main()).execute(args);
    }

    public static void main(String[] args) {
        System.exit(run(args));
    }
}
