package io.spawnkit.cli;

import io.spawnkit.Command;
import io.spawnkit.Stdio;
import io.spawnkit.cli.config.ProcessConfig;
import io.spawnkit.cli.config.RunConfig;
import io.spawnkit.supervisor.DependsOn;
import io.spawnkit.supervisor.ExitPolicy;
import io.spawnkit.supervisor.HelperSpec;
import io.spawnkit.supervisor.Readiness;
import io.spawnkit.supervisor.RestartPolicy;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What {@code spawnkit run} hands to the supervisor: one {@link HelperSpec} per instance of the
 * {@link Formation}, and the exit policy. Pure: nothing is started, so it is tested without
 * processes.
 *
 * <p>Each instance's command is the process type's argv, with stdin from {@code /dev/null}, in the
 * type's directory (else {@code defaultDirectory}: a Procfile's own directory, as foreman's root),
 * with the type's variables added to the inherited environment, then {@code PORT} (see
 * {@link Formation}) and {@code PS} (the instance's name, as foreman sets it).
 *
 * <p>Command-line overrides: {@code --restart} replaces each type's restart mode (its backoff and
 * limits stay), {@code -t} each type's stop grace, {@code --success} the exit policy's way of
 * choosing the code. Without an exit policy in the file: {@link ExitPolicy#stopAllWhenAnyEnds()},
 * foreman's rule (stop all when one ends for good, exit with its code).
 *
 * <p>Dependencies name process types: a dependency on {@code web} becomes one on each instance of
 * {@code web}; one on a type that runs no instance (disabled by {@code -m} or not chosen by name)
 * is dropped with a warning; one on a name the file does not define is kept, so that the
 * supervisor reports it as unknown. A {@code NAMED_ENDS} exit policy naming a type means its first
 * instance. A port readiness check on a type's {@code PORT} follows each instance's {@code PORT}.
 *
 * @param helpers    the helpers, in the order of the instances
 * @param exitPolicy the exit policy
 * @param warnings   what was adjusted, for stderr
 */
record RunPlan(List<HelperSpec> helpers, ExitPolicy exitPolicy, List<String> warnings) {

    /** The command-line choices that shape the plan. */
    record Overrides(RestartPolicy.Mode restart, Duration grace, ExitPolicy.Success success) {
        static final Overrides NONE = new Overrides(null, null, null);
    }

    RunPlan {
        helpers = List.copyOf(helpers);
        warnings = List.copyOf(warnings);
    }

    /** The helpers' names, in order. */
    List<String> names() {
        return helpers.stream().map(HelperSpec::name).toList();
    }

    static RunPlan of(RunConfig config, List<Formation.Instance> instances, Path defaultDirectory, Overrides o) {
        Map<String, List<String>> instancesOfType = new LinkedHashMap<>();
        for (ProcessConfig p : config.processes()) {
            instancesOfType.put(p.name(), new ArrayList<>());
        }
        for (Formation.Instance i : instances) {
            instancesOfType.get(i.process().name()).add(i.name());
        }
        List<String> warnings = new ArrayList<>();
        List<HelperSpec> helpers = new ArrayList<>();
        for (Formation.Instance i : instances) {
            helpers.add(helper(i, instancesOfType, defaultDirectory, o, warnings));
        }
        ExitPolicy policy = config.exitPolicy() != null ? config.exitPolicy() : ExitPolicy.stopAllWhenAnyEnds();
        if (policy.trigger() == ExitPolicy.Trigger.NAMED_ENDS && instancesOfType.containsKey(policy.name())) {
            List<String> named = instancesOfType.get(policy.name());
            if (named.isEmpty()) {
                warnings.add("the exit policy names " + policy.name() + ", which does not run: stopping all when any ends");
                policy = ExitPolicy.stopAllWhenAnyEnds().withSuccess(policy.success());
            } else {
                policy = ExitPolicy.stopAllWhenEnds(named.getFirst()).withSuccess(policy.success());
            }
        }
        if (o.success() != null) {
            policy = policy.withSuccess(o.success());
        }
        return new RunPlan(helpers, policy, warnings);
    }

    /**
     * The instance's readiness check: the type's, except that a port check on the port of the
     * type's first instance follows each instance's own {@code PORT} ({@code web.2} is checked on
     * 5001, not on 5000, where {@code web.1} listens).
     */
    static Readiness readiness(Formation.Instance i) {
        Readiness r = i.process().readiness();
        int first = i.port() - (i.number() - 1);
        if (r instanceof Readiness.Port p && p.port() == first && i.number() > 1) {
            return new Readiness.Port(p.host(), i.port(), p.interval(), p.timeout());
        }
        return r;
    }

    private static HelperSpec helper(Formation.Instance i, Map<String, List<String>> instancesOfType,
            Path defaultDirectory, Overrides o, List<String> warnings) {
        ProcessConfig p = i.process();
        Path dir = p.directory() != null ? p.directory() : defaultDirectory;
        Command command = Command.of(p.argv()).stdin(Stdio.ignore()).env(p.env())
                .env("PORT", Integer.toString(i.port())).env("PS", i.name());
        if (dir != null) {
            command = command.directory(dir);
        }
        RestartPolicy restart = o.restart() != null ? p.restart().withMode(o.restart()) : p.restart();
        Duration grace = o.grace() != null ? o.grace() : p.stopGrace();
        HelperSpec spec = HelperSpec.of(i.name(), command)
                .withRestart(restart)
                .withReadiness(readiness(i))
                .withStop(p.stopSignal(), grace);
        for (DependsOn d : p.dependsOn()) {
            List<String> targets = instancesOfType.get(d.helper());
            if (targets == null) {
                spec = spec.dependingOn(d.helper(), d.condition());
            } else if (targets.isEmpty()) {
                warnings.add(i.name() + ": not waiting for " + d.helper() + ", which does not run");
            } else {
                for (String t : targets) {
                    spec = spec.dependingOn(t, d.condition());
                }
            }
        }
        return spec;
    }
}
