package io.spawnkit.cli;

import io.spawnkit.cli.config.ProcessConfig;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How many instances of each process type run, and the names and ports they get (foreman's
 * {@code -m}/{@code --formation} and {@code -p}/{@code --port}).
 *
 * <p>Instances are named {@code type.1}, {@code type.2}, ... Each gets the environment variable
 * {@code PORT} = base port + 100 × the type's position in the file (0-based, counting every type of
 * the file, running or not) + the instance's position (0-based):
 *
 * <pre>
 *   file: web, worker; base 5000
 *   formation          instances (PORT)
 *   (none)             web.1 (5000), worker.1 (5100)
 *   web=2              web.1 (5000), web.2 (5001)                  -- worker: 0, as in foreman
 *   all=2,worker=0     web.1 (5000), web.2 (5001)
 *   all=1,web=3        web.1..web.3 (5000..5002), worker.1 (5100)
 *   web=0              (nothing)
 * </pre>
 *
 * <p>Without {@code -m} each type runs its {@code replicas} (1 unless a {@code spawnkit.toml} says
 * otherwise). With {@code -m}, a type it does not name runs {@code all=N} instances, or none when
 * there is no {@code all} (foreman's rule). Process types named on the command line restrict what
 * runs to those types; such a type not named by {@code -m} nor covered by {@code all} runs its
 * replicas.
 *
 * @param counts the count per named type, in the order given
 * @param all    the count of {@code all=N}, or null
 */
record Formation(Map<String, Integer> counts, Integer all) {

    private static final Pattern PAIR = Pattern.compile("([A-Za-z0-9._-]+)\\s*=\\s*(\\d{1,6})");

    /** One instance to run. */
    record Instance(String name, ProcessConfig process, int typeIndex, int number, int port) {}

    Formation {
        counts = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(counts));
    }

    /**
     * Parses {@code web=2,worker=1,all=0} (blanks allowed around each part).
     *
     * @throws IllegalArgumentException for anything else, naming the bad part
     */
    static Formation parse(String spec) {
        Map<String, Integer> counts = new LinkedHashMap<>();
        Integer all = null;
        if (spec.isBlank()) {
            throw new IllegalArgumentException("empty formation (try web=2,worker=1 or all=1)");
        }
        for (String part : spec.split(",", -1)) {
            Matcher m = PAIR.matcher(part.strip());
            if (!m.matches()) {
                throw new IllegalArgumentException("formation '" + spec + "': '" + part.strip()
                        + "' is not TYPE=COUNT (try web=2,worker=1 or all=1)");
            }
            int n = Integer.parseInt(m.group(2));
            if (m.group(1).equals("all")) {
                all = n;
            } else {
                counts.put(m.group(1), n);
            }
        }
        return new Formation(counts, all);
    }

    /**
     * The instances to run, in file order of their types.
     *
     * @param processes the file's process types, in file order
     * @param formation the {@code -m} formation, or null
     * @param only      the process types named on the command line (empty: all)
     * @param basePort  {@code -p}
     * @throws IllegalArgumentException for a type named by {@code only} or the formation that the
     *                                  file does not have, or a port beyond 65535
     */
    static List<Instance> plan(List<ProcessConfig> processes, Formation formation, List<String> only, int basePort) {
        Set<String> known = new LinkedHashSet<>();
        for (ProcessConfig p : processes) {
            known.add(p.name());
        }
        for (String name : only) {
            if (!known.contains(name)) {
                throw new IllegalArgumentException("unknown process type '" + name + "'" + choices(known));
            }
        }
        if (formation != null) {
            for (String name : formation.counts().keySet()) {
                if (!known.contains(name)) {
                    throw new IllegalArgumentException("-m: unknown process type '" + name + "'" + choices(known));
                }
            }
        }
        List<Instance> instances = new ArrayList<>();
        for (int i = 0; i < processes.size(); i++) {
            ProcessConfig p = processes.get(i);
            if (!only.isEmpty() && !only.contains(p.name())) {
                continue;
            }
            int count = formation == null ? p.replicas() : formation.count(p.name(), only.isEmpty() ? 0 : p.replicas());
            for (int n = 1; n <= count; n++) {
                int port = basePort + 100 * i + (n - 1);
                if (port > 65535) {
                    throw new IllegalArgumentException("the port of " + p.name() + "." + n + " would be " + port
                            + ", above 65535: choose a lower base port with -p");
                }
                instances.add(new Instance(p.name() + "." + n, p, i, n, port));
            }
        }
        return instances;
    }

    /** The count of {@code type}: its own, else {@code all}, else {@code fallback}. */
    int count(String type, int fallback) {
        Integer n = counts.get(type);
        if (n != null) {
            return n;
        }
        return all != null ? all : fallback;
    }

    private static String choices(Set<String> known) {
        return known.isEmpty() ? " (the file defines none)" : " (the file defines: " + String.join(", ", known) + ")";
    }
}
