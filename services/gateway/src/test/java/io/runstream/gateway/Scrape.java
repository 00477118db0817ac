package io.runstream.gateway;

import java.util.List;

/** The series of a Prometheus scrape, as text lines, and the values of one metric in it. */
record Scrape(List<String> series) {

    static Scrape of(String text) {
        return new Scrape(text.lines().filter(line -> !line.isBlank() && !line.startsWith("#")).toList());
    }

    /** The series whose name starts with one of these prefixes. */
    List<String> named(String... prefixes) {
        return series.stream().filter(line -> List.of(prefixes).stream().anyMatch(line::startsWith)).toList();
    }

    /** The sum of every series of a metric (0 when there is none). */
    double sum(String metric) {
        return series.stream().filter(line -> line.startsWith(metric + "{") || line.startsWith(metric + " "))
                .mapToDouble(line -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1))).sum();
    }
}
