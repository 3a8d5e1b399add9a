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
        // the native backend gets ready on another CPU while picocli builds its model and reads the
        // arguments: each takes about 100-150 ms on a 2-vCPU VM, so the first helper starts sooner
        Thread.ofPlatform().daemon().name("spawnkit-prepare").start(io.spawnkit.Command::prepare);
        System.exit(run(args));
    }
}
