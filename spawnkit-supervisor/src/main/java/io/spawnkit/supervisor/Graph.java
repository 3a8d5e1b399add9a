package io.spawnkit.supervisor;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The helpers' dependency graph: checked once by {@link Supervisor.Builder#build()}, then asked
 * who depends on whom while stopping in reverse order.
 */
final class Graph {
    private final Map<String, HelperSpec> byName;
    private final Map<String, List<String>> dependents = new HashMap<>();

    private Graph(Map<String, HelperSpec> byName) {
        this.byName = byName;
        for (HelperSpec s : byName.values()) {
            dependents.putIfAbsent(s.name(), new ArrayList<>());
            for (DependsOn d : s.dependsOn()) {
                dependents.computeIfAbsent(d.helper(), k -> new ArrayList<>()).add(s.name());
            }
        }
    }

    /**
     * Checks the helpers and the exit policy, in this order: duplicate names, unknown dependencies,
     * cycles, an unknown helper named by the exit policy.
     *
     * @throws SupervisorConfigException naming the first problem found (a cycle as
     *     {@code a -> b -> a})
     */
    static Graph check(List<HelperSpec> helpers, ExitPolicy exitPolicy) {
        Map<String, HelperSpec> byName = new LinkedHashMap<>();
        for (HelperSpec s : helpers) {
            if (byName.putIfAbsent(s.name(), s) != null) {
                throw new SupervisorConfigException("duplicate helper name '" + s.name() + "'");
            }
        }
        for (HelperSpec s : helpers) {
            for (DependsOn d : s.dependsOn()) {
                if (!byName.containsKey(d.helper())) {
                    throw new SupervisorConfigException("helper '" + s.name() + "' depends on unknown helper '"
                            + d.helper() + "'");
                }
            }
        }
        List<String> cycle = findCycle(byName);
        if (cycle != null) {
            throw new SupervisorConfigException("dependency cycle: " + String.join(" -> ", cycle));
        }
        if (exitPolicy.trigger() == ExitPolicy.Trigger.NAMED_ENDS && !byName.containsKey(exitPolicy.name())) {
            throw new SupervisorConfigException("the exit policy names unknown helper '" + exitPolicy.name() + "'");
        }
        return new Graph(byName);
    }

    /** The names of the helpers that depend on {@code name} directly. */
    List<String> dependentsOf(String name) {
        return dependents.getOrDefault(name, List.of());
    }

    HelperSpec spec(String name) {
        return byName.get(name);
    }

    /**
     * A cycle as the path that closes it ({@code [a, b, a]}), or null. Depth-first, in the order
     * the helpers were given, so the same description always names the same cycle.
     */
    private static List<String> findCycle(Map<String, HelperSpec> byName) {
        Map<String, Integer> colour = new HashMap<>(); // absent: unvisited, 1: on the path, 2: done
        List<String> path = new ArrayList<>();
        for (String start : byName.keySet()) {
            List<String> c = visit(start, byName, colour, path);
            if (c != null) {
                return c;
            }
        }
        return null;
    }

    private static List<String> visit(String name, Map<String, HelperSpec> byName, Map<String, Integer> colour,
            List<String> path) {
        Integer c = colour.get(name);
        if (c != null) {
            if (c == 1) {
                List<String> cycle = new ArrayList<>(path.subList(path.indexOf(name), path.size()));
                cycle.add(name);
                return cycle;
            }
            return null;
        }
        colour.put(name, 1);
        path.add(name);
        for (DependsOn d : byName.get(name).dependsOn()) {
            List<String> found = visit(d.helper(), byName, colour, path);
            if (found != null) {
                return found;
            }
        }
        path.remove(path.size() - 1);
        colour.put(name, 2);
        return null;
    }
}
