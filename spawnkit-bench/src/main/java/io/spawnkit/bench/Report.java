package io.spawnkit.bench;

import java.io.IOException;
import java.math.BigDecimal;
import java.math.MathContext;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Turns the raw RESULT/SKIP lines of every round of every competitor into a markdown report:
 * {@code java -cp spawnkit-bench.jar io.spawnkit.bench.Report <raw-results-file> [title]}.
 *
 * <p>Per scenario (variant names as the script wrote them), one row per competitor: the main metric's
 * median, min and max over the rounds, its ratio to the C floor (the {@code c-*} row with the best
 * median) and to spawnkit, then every other metric as "median (min–max)". Then the skip reasons.
 * Lines that are neither RESULT nor SKIP are ignored.
 */
public final class Report {
    private Report() {}

    /** Everything read: scenario -> competitor -> metric -> the values of every round, in file order. */
    static final class Data {
        final Map<String, Map<String, Map<String, List<Double>>>> results = new LinkedHashMap<>();
        final Map<String, String> units = new LinkedHashMap<>(); // "scenario metric" -> unit
        final Map<String, Integer> skips = new LinkedHashMap<>(); // "scenario|competitor|reason" -> rounds
        int ignored;

        List<Double> values(String scenario, String competitor, String metric) {
            return results.getOrDefault(scenario, Map.of()).getOrDefault(competitor, Map.of())
                    .getOrDefault(metric, List.of());
        }
    }

    public static void main(String[] args) throws IOException {
        if (args.length < 1 || args.length > 2) {
            System.err.println("usage: Report <raw-results-file> [title]");
            System.exit(2);
        }
        System.setOut(new java.io.PrintStream(new java.io.FileOutputStream(java.io.FileDescriptor.out), true, StandardCharsets.UTF_8));
        Data data = parse(Files.readAllLines(Path.of(args[0]), StandardCharsets.UTF_8));
        System.out.print(render(data, args.length > 1 ? args[1] : "spawnkit benchmarks"));
        System.out.flush();
    }

    static Data parse(List<String> lines) {
        Data d = new Data();
        for (String raw : lines) {
            String line = raw.strip();
            String[] t = line.split("\\s+");
            if (t[0].equals("RESULT") && (t.length == 5 || t.length == 6)) {
                double value;
                try {
                    value = Double.parseDouble(t[4]);
                } catch (NumberFormatException e) {
                    d.ignored++;
                    continue;
                }
                d.results.computeIfAbsent(t[1], k -> new LinkedHashMap<>())
                        .computeIfAbsent(t[2], k -> new LinkedHashMap<>())
                        .computeIfAbsent(t[3], k -> new ArrayList<>())
                        .add(value);
                d.units.putIfAbsent(t[1] + " " + t[3], t.length == 6 ? t[5] : "");
            } else if (t[0].equals("SKIP") && t.length >= 3) {
                String[] parts = line.split("\\s+", 4);
                String reason = parts.length == 4 ? parts[3] : "(no reason given)";
                d.skips.merge(t[1] + "|" + t[2] + "|" + reason, 1, Integer::sum);
            } else if (!line.isEmpty()) {
                d.ignored++;
            }
        }
        return d;
    }

    /** The metric a scenario is judged by, from its base name. */
    static String mainMetric(String scenario) {
        if (scenario.startsWith("spawn-wait")) {
            return "us_per_op";
        }
        if (scenario.startsWith("many") || scenario.startsWith("alive")) {
            return "wall_ms";
        }
        if (scenario.startsWith("latency")) {
            return "p50_us";
        }
        if (scenario.startsWith("throughput")) {
            return "mb_per_s";
        }
        return null;
    }

    static boolean higherIsBetter(String metric) {
        return metric.equals("mb_per_s");
    }

    static double median(List<Double> values) {
        if (values.isEmpty()) {
            return Double.NaN;
        }
        List<Double> s = values.stream().sorted().toList();
        int n = s.size();
        return n % 2 == 1 ? s.get(n / 2) : (s.get(n / 2 - 1) + s.get(n / 2)) / 2;
    }

    /** The C floor of a scenario: the {@code c-*} competitor with the best median main metric, or null. */
    static String floor(Data d, String scenario) {
        String metric = mainMetric(scenario);
        if (metric == null) {
            return null;
        }
        Comparator<String> byMedian = Comparator.comparingDouble(c -> median(d.values(scenario, c, metric)));
        return d.results.getOrDefault(scenario, Map.of()).keySet().stream()
                .filter(c -> c.startsWith("c-") && !d.values(scenario, c, metric).isEmpty())
                .max(higherIsBetter(metric) ? byMedian : byMedian.reversed())
                .orElse(null);
    }

    /** The ratio of the medians of two competitors' main metric, NaN when either is missing. */
    static double ratio(Data d, String scenario, String competitor, String reference) {
        String metric = mainMetric(scenario);
        if (metric == null || reference == null) {
            return Double.NaN;
        }
        return median(d.values(scenario, competitor, metric)) / median(d.values(scenario, reference, metric));
    }

    /** Three significant digits, plain notation, no trailing zeros; "–" for a missing value. */
    static String sig3(double v) {
        if (Double.isNaN(v) || Double.isInfinite(v)) {
            return "–";
        }
        if (v == 0) {
            return "0";
        }
        return BigDecimal.valueOf(v).round(new MathContext(3)).stripTrailingZeros().toPlainString();
    }

    /** Row order: C rows, spawnkit, ProcessBuilder rows, then the other libraries. */
    static int rank(String competitor) {
        if (competitor.startsWith("c-")) {
            return 0;
        }
        if (competitor.startsWith("spawnkit")) {
            return 1;
        }
        if (competitor.startsWith("pb")) {
            return 2;
        }
        return switch (competitor) {
            case "nuprocess" -> 3;
            case "zt-exec" -> 4;
            case "commons-exec" -> 5;
            default -> 6;
        };
    }

    static String render(Data d, String title) {
        StringBuilder sb = new StringBuilder();
        sb.append("# ").append(title).append("\n\n");
        sb.append("Each cell: the median over the rounds, with (min–max). \"vs C\" and \"vs spawnkit\" divide the row's"
                + " median of the scenario's main metric by that of the fastest C row (`c-*`) and of spawnkit:"
                + " for times below 1 is faster, for MiB/s above 1 is faster.\n");
        for (var scenario : d.results.entrySet()) {
            String name = scenario.getKey();
            String main = mainMetric(name);
            Map<String, Map<String, List<Double>>> rows = scenario.getValue();
            Set<String> metrics = new LinkedHashSet<>();
            rows.values().forEach(m -> metrics.addAll(m.keySet()));
            if (main != null && metrics.contains(main)) {
                metrics.remove(main);
            } else {
                main = null;
            }
            String floor = floor(d, name);
            String spawnkit = rows.containsKey("spawnkit") && main != null
                    && !d.values(name, "spawnkit", main).isEmpty() ? "spawnkit" : null;

            sb.append("\n## ").append(name).append("\n\n");
            if (floor != null) {
                sb.append("C floor: `").append(floor).append("`.\n\n");
            }
            List<String> header = new ArrayList<>(List.of("competitor", "rounds"));
            if (main != null) {
                String unit = d.units.getOrDefault(name + " " + main, "");
                header.addAll(List.of(main + " (" + unit + ") median", "min", "max", "vs C", "vs spawnkit"));
            }
            for (String m : metrics) {
                String unit = d.units.getOrDefault(name + " " + m, "");
                header.add(unit.isEmpty() ? m : m + " (" + unit + ")");
            }
            row(sb, header);
            row(sb, header.stream().map(h -> h.equals("competitor") ? ":--" : "--:").toList());
            List<String> competitors = rows.keySet().stream()
                    .sorted(Comparator.comparingInt(Report::rank).thenComparing(Comparator.naturalOrder()))
                    .toList();
            for (String c : competitors) {
                Map<String, List<Double>> byMetric = rows.get(c);
                int rounds = byMetric.values().stream().mapToInt(List::size).max().orElse(0);
                List<String> cells = new ArrayList<>(List.of(c, Integer.toString(rounds)));
                if (main != null) {
                    List<Double> v = byMetric.getOrDefault(main, List.of());
                    cells.add(sig3(median(v)));
                    cells.add(sig3(v.stream().mapToDouble(Double::doubleValue).min().orElse(Double.NaN)));
                    cells.add(sig3(v.stream().mapToDouble(Double::doubleValue).max().orElse(Double.NaN)));
                    cells.add(ratioCell(v.isEmpty() ? Double.NaN : ratio(d, name, c, floor)));
                    cells.add(ratioCell(v.isEmpty() ? Double.NaN : ratio(d, name, c, spawnkit)));
                }
                for (String m : metrics) {
                    List<Double> v = byMetric.getOrDefault(m, List.of());
                    cells.add(v.isEmpty() ? "–" : v.size() == 1 ? sig3(v.get(0))
                            : sig3(median(v)) + " (" + sig3(v.stream().mapToDouble(Double::doubleValue).min().getAsDouble())
                                    + "–" + sig3(v.stream().mapToDouble(Double::doubleValue).max().getAsDouble()) + ")");
                }
                row(sb, cells);
            }
        }
        if (!d.skips.isEmpty()) {
            sb.append("\n## Skipped\n\n");
            for (var e : d.skips.entrySet()) {
                String[] k = e.getKey().split("\\|", 3);
                sb.append("- ").append(k[0]).append(", `").append(k[1]).append("`: ").append(k[2]);
                if (e.getValue() > 1) {
                    sb.append(" (").append(e.getValue()).append(" rounds)");
                }
                sb.append('\n');
            }
        }
        if (d.ignored > 0) {
            System.err.println("Report: ignored " + d.ignored + " line(s) that are neither RESULT nor SKIP");
        }
        return sb.toString();
    }

    private static String ratioCell(double r) {
        return Double.isNaN(r) || Double.isInfinite(r) ? "–" : sig3(r) + "×";
    }

    private static void row(StringBuilder sb, List<String> cells) {
        sb.append("| ").append(String.join(" | ", cells)).append(" |\n");
    }
}
