package io.spawnkit.internal.linux;

import static org.assertj.core.api.Assertions.assertThat;

import io.spawnkit.internal.linux.FdPlan.Action;
import io.spawnkit.internal.linux.FdPlan.Close;
import io.spawnkit.internal.linux.FdPlan.CloseFrom;
import io.spawnkit.internal.linux.FdPlan.Dup2;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

/** The descriptor plan, run against a model of a descriptor table instead of a process. */
class FdPlanTest {

    /** Applies the actions to a table fd -> "open file" and returns what the child ends up with. */
    private static Map<Integer, String> simulate(Map<Integer, String> parent, List<Action> actions) {
        Map<Integer, String> table = new HashMap<>(parent);
        for (Action a : actions) {
            switch (a) {
                case Dup2 d -> {
                    assertThat(table).as("dup2 from a closed descriptor %s", d).containsKey(d.from());
                    table.put(d.to(), table.get(d.from()));
                }
                case Close c -> table.remove(c.fd());
                case CloseFrom c -> table.keySet().removeIf(fd -> fd >= c.lowest());
            }
        }
        return table;
    }

    private static SortedMap<Integer, Integer> wanted(int... pairs) {
        SortedMap<Integer, Integer> m = new TreeMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            m.put(pairs[i], pairs[i + 1]);
        }
        return m;
    }

    @Test
    void stdoutAndStderrSwapped() {
        Map<Integer, String> parent = Map.of(0, "in", 1, "out", 2, "err", 7, "other");
        Map<Integer, String> child = simulate(parent, FdPlan.plan(wanted(0, 0, 1, 2, 2, 1)));
        assertThat(child).isEqualTo(Map.of(0, "in", 1, "err", 2, "out"));
    }

    @Test
    void oneSourceForSeveralTargets() {
        Map<Integer, String> parent = Map.of(9, "pipe", 10, "extra");
        Map<Integer, String> child = simulate(parent, FdPlan.plan(wanted(0, 9, 1, 9, 2, 9, 5, 10)));
        assertThat(child).isEqualTo(Map.of(0, "pipe", 1, "pipe", 2, "pipe", 5, "extra"));
    }

    @Test
    void aSourceBelowTheHighestTargetThatIsNotATargetSurvivesUntilUsed() {
        Map<Integer, String> parent = Map.of(0, "in", 1, "out", 2, "err", 3, "three");
        Map<Integer, String> child = simulate(parent, FdPlan.plan(wanted(0, 0, 1, 1, 2, 2, 5, 3)));
        assertThat(child).isEqualTo(Map.of(0, "in", 1, "out", 2, "err", 5, "three"));
    }

    @Test
    void closedTargetsAreClosed() {
        Map<Integer, String> parent = Map.of(0, "in", 1, "out", 2, "err");
        Map<Integer, String> child = simulate(parent, FdPlan.plan(wanted(0, -1, 1, 1, 2, 1)));
        assertThat(child).isEqualTo(Map.of(1, "out", 2, "out"));
    }

    @Test
    void identityMappingsAreKeptAsDup2SoThatCloexecIsCleared() {
        assertThat(FdPlan.plan(wanted(0, 0, 1, 1, 2, 2)))
                .containsExactly(new Dup2(0, 0), new Dup2(1, 1), new Dup2(2, 2), new CloseFrom(3));
    }

    /** Any map from up to 8 child fds to sources among 0..11 (or closed) comes out exactly. */
    @Property(tries = 2000)
    void anyMapComesOutExactly(@ForAll @Size(max = 8) List<@IntRange(min = -1, max = 11) Integer> sources,
            @ForAll @IntRange(min = 0, max = 3) int gap) {
        Map<Integer, String> parent = new HashMap<>();
        for (int fd = 0; fd <= 11; fd++) {
            parent.put(fd, "file" + fd);
        }
        SortedMap<Integer, Integer> wanted = new TreeMap<>();
        for (int i = 0; i < sources.size(); i++) {
            wanted.put(i * (gap + 1), sources.get(i));
        }
        Map<Integer, String> expected = new HashMap<>();
        wanted.forEach((t, s) -> {
            if (s >= 0) {
                expected.put(t, "file" + s);
            }
        });
        assertThat(simulate(parent, FdPlan.plan(wanted))).isEqualTo(expected);
    }
}
