package io.runstream.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The samples of a Prometheus text exposition (as a service's {@code /actuator/prometheus} serves it) whose metric is
 * one of those asked for. Only those values are parsed, so a series elsewhere written as {@code +Inf} or {@code NaN}
 * does not matter.
 */
final class PrometheusText {

    /** One sample line: the metric's name, its labels as written (with their braces, empty when none) and its value. */
    record Sample(String name, String labels, double value) {
    }

    private PrometheusText() {
    }

    static List<Sample> samples(String exposition, Set<String> names) {
        List<Sample> samples = new ArrayList<>();
        for (String line : exposition.split("\n")) {
            if (line.startsWith("#")) {
                continue;
            }
            int space = line.lastIndexOf(' ');
            int brace = line.indexOf('{');
            int nameEnd = brace >= 0 && brace < space ? brace : space;
            if (nameEnd <= 0 || !names.contains(line.substring(0, nameEnd))) {
                continue;
            }
            samples.add(new Sample(line.substring(0, nameEnd), line.substring(nameEnd, space),
                    Double.parseDouble(line.substring(space + 1))));
        }
        return samples;
    }

    /** The sum of a metric's samples over all its label sets, 0 when it has none. */
    static double sum(String exposition, String name) {
        return samples(exposition, Set.of(name)).stream().mapToDouble(Sample::value).sum();
    }
}
