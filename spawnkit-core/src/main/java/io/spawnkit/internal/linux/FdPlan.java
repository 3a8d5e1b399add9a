package io.spawnkit.internal.linux;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;

/**
 * Orders the file actions that give the child exactly its descriptor map, and nothing else.
 *
 * <p>The hazard (libuv's "stdout and stderr swapped"): the child wants fd 1 = our fd 2 and fd 2 =
 * our fd 1. Doing {@code dup2(2, 1)} then {@code dup2(1, 2)} gives both the old fd 2. So every
 * source that is also a target of another mapping is first parked on a spare number above every
 * target and source, and the final dup2s read from the parked copies. One source may serve several
 * targets ({@code 2>&1}). {@code dup2(fd, fd)} is kept on purpose: glibc (2.29+) then clears
 * FD_CLOEXEC, which is how a descriptor that already has the right number survives the exec.
 * Numbers below the highest target that are not targets are closed, and everything from the
 * highest target + 1 up is closed by closefrom; those closes come after every dup2, since a number
 * that is not a target may still be a source.
 *
 * <pre>
 *   wanted (target &lt;- source)         actions
 *   0&lt;-5, 1&lt;-6, 2&lt;-7                  dup2(5,0) dup2(6,1) dup2(7,2) closefrom(3)
 *   1&lt;-2, 2&lt;-1 (swap)                 dup2(2,8) dup2(1,9) dup2(8,1) dup2(9,2) ... (8, 9 = spare numbers)
 *   0&lt;-0, 1&lt;-1, 2&lt;-1                  dup2(0,0) dup2(1,1) dup2(1,2) closefrom(3)
 *   0&lt;-9, 1&lt;-9, 2&lt;-9, 5&lt;-3            dup2(9,0) dup2(9,1) dup2(9,2) dup2(3,5) close(3) close(4) closefrom(6)
 *   0 closed (source -1)              close(0)
 * </pre>
 */
final class FdPlan {
    /** One file action. */
    sealed interface Action {}

    record Dup2(int from, int to) implements Action {}

    record Close(int fd) implements Action {}

    record CloseFrom(int lowest) implements Action {}

    private FdPlan() {}

    /** The actions for {@code wanted}: child fd -> our fd, or -1 for "closed in the child". */
    static List<Action> plan(SortedMap<Integer, Integer> wanted) {
        List<Action> actions = new ArrayList<>();
        int maxTarget = wanted.isEmpty() ? -1 : wanted.lastKey();
        Set<Integer> sources = new HashSet<>(wanted.values());
        int spare = Math.max(maxTarget, sources.stream().mapToInt(Integer::intValue).max().orElse(-1)) + 1;
        Map<Integer, Integer> parked = new HashMap<>();
        for (Map.Entry<Integer, Integer> e : wanted.entrySet()) {
            int src = e.getValue();
            if (src < 0 || parked.containsKey(src)) {
                continue;
            }
            Integer srcAsTarget = wanted.get(src);
            boolean clobbered = srcAsTarget != null && srcAsTarget != src;
            if (clobbered) {
                actions.add(new Dup2(src, spare));
                parked.put(src, spare++);
            }
        }
        List<Action> closes = new ArrayList<>();
        for (int fd = 0; fd <= maxTarget; fd++) {
            Integer src = wanted.get(fd);
            if (src == null || src < 0) {
                closes.add(new Close(fd)); // after every dup2: the number may still be a source
            } else {
                actions.add(new Dup2(parked.getOrDefault(src, src), fd));
            }
        }
        actions.addAll(closes);
        actions.add(new CloseFrom(maxTarget + 1));
        return actions;
    }
}
