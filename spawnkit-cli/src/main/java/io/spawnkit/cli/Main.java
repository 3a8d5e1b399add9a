package io.spawnkit.cli;

import java.util.Arrays;
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
        if (args.length > 0 && args[0].equals("run")) {
            RunCommand plain = RunArgs.parse(Arrays.asList(args).subList(1, args.length));
            if (plain != null) {
                return call(plain);
            }
        }
        return new CommandLine(new Main()).execute(args);
    }

    /** What picocli's execute does around a command: an exception is printed and is exit code 1. */
    private static int call(RunCommand command) {
        try {
            return command.call();
        } catch (RuntimeException e) {
            e.printStackTrace();
            return 1;
        }
    }

    public static void main(String[] args) {
        // the native backend gets ready on another CPU while the arguments and files are read
        Thread.ofPlatform().daemon().name("spawnkit-prepare").start(io.spawnkit.Command::prepare);
        System.exit(run(args));
    }
}
