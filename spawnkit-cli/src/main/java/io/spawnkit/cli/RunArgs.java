package io.spawnkit.cli;

import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The arguments of {@code spawnkit run}, read without picocli when they are plain, so that the first
 * helper starts sooner: picocli builds its model of the commands from their annotations before it
 * reads a word, which took 90-150 ms of a 2-vCPU VM's start (the model alone, with a class-data
 * archive; bench/relay's first-spawn figure).
 *
 * <p>What it reads is exactly what picocli reads for {@link RunCommand}'s options: {@code -f X},
 * {@code -fX}, {@code -f=X}, {@code --procfile X}, {@code --procfile=X}, the flags and their
 * {@code --no-} forms, names anywhere, and everything after {@code --} as names. Anything else makes
 * it give up, and picocli parses the whole command line as before, with its messages: help and
 * version, an {@code @FILE} of arguments, an unknown option, a value that looks like an option or does not convert, an option given
 * twice that may be given once. RunArgsTest holds both parsers to the same results.
 */
final class RunArgs {
    private RunArgs() {}

    /** The command with {@code args} (the words after {@code run}) applied, or null to ask picocli. */
    static RunCommand parse(List<String> args) {
        RunCommand rc = new RunCommand();
        Set<String> seen = new HashSet<>();
        boolean optionsEnded = false;
        for (int i = 0; i < args.size(); i++) {
            String arg = args.get(i);
            if (arg.startsWith("@") || !optionsEnded && arg.equals("-")) {
                return null; // picocli reads @FILE as a file of arguments; a lone dash is its to read
            }
            if (optionsEnded || !arg.startsWith("-")) {
                rc.names.add(arg);
                continue;
            }
            if (arg.equals("--")) {
                optionsEnded = true;
                continue;
            }
            String name = arg;
            String value = null;
            int eq = arg.indexOf('=');
            if (arg.startsWith("--")) {
                if (eq > 0) {
                    name = arg.substring(0, eq);
                    value = arg.substring(eq + 1);
                }
            } else if (arg.length() > 2) { // -fX or -f=X
                name = arg.substring(0, 2);
                value = arg.charAt(2) == '=' ? arg.substring(3) : arg.substring(2);
            }
            String option = canonical(name);
            if (option == null || !option.equals("--env") && !seen.add(option)) {
                return null; // unknown, or given twice where picocli allows it once
            }
            if (isFlag(option)) {
                if (value != null || !flag(rc, name)) {
                    return null;
                }
                continue;
            }
            if (value == null) {
                if (i + 1 >= args.size()) {
                    return null;
                }
                value = args.get(++i);
            }
            if (value.startsWith("-") || !set(rc, option, value)) {
                return null;
            }
        }
        return rc;
    }

    /** The long name an option is known by, or null for one this parser does not read. */
    private static String canonical(String name) {
        return switch (name) {
            case "-f", "--procfile" -> "--procfile";
            case "-e", "--env" -> "--env";
            case "-c", "--config" -> "--config";
            case "-m", "--formation" -> "--formation";
            case "-p", "--port" -> "--port";
            case "-t", "--grace", "--timeout" -> "--grace";
            case "--restart", "--success", "--raw" -> name;
            case "--color", "--no-color" -> "--color";
            case "--timestamps", "--no-timestamps" -> "--timestamps";
            default -> null;
        };
    }

    private static boolean isFlag(String option) {
        return option.equals("--color") || option.equals("--timestamps") || option.equals("--raw");
    }

    private static boolean flag(RunCommand rc, String name) {
        switch (name) {
            case "--color" -> rc.color = true;
            case "--no-color" -> rc.color = false;
            case "--timestamps" -> rc.timestamps = true;
            case "--no-timestamps" -> rc.timestamps = false;
            case "--raw" -> rc.raw = true;
            default -> {
                return false;
            }
        }
        return true;
    }

    /** Converts and stores a value; false when it does not convert (picocli then says why). */
    private static boolean set(RunCommand rc, String option, String value) {
        try {
            switch (option) {
                case "--procfile" -> rc.procfile = Path.of(value);
                case "--env" -> rc.envFiles.add(Path.of(value));
                case "--config" -> rc.tomlFile = Path.of(value);
                case "--formation" -> rc.formation = value;
                case "--port" -> {
                    if (!value.matches("[0-9]{1,9}")) {
                        return false;
                    }
                    rc.port = Integer.parseInt(value);
                }
                case "--grace" -> rc.grace = DurationConverter.parse(value);
                case "--restart" -> {
                    return (rc.restart = RunCommand.restartMode(value)) != null;
                }
                case "--success" -> {
                    return (rc.success = RunCommand.success(value)) != null;
                }
                default -> {
                    return false;
                }
            }
            return true;
        } catch (RuntimeException e) { // a path with a NUL, a duration that does not read
            return false;
        }
    }
}
