package io.runstream.bench;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import javax.imageio.ImageIO;

/**
 * Draws latency percentiles against offered load as a PNG: one line per series, both axes logarithmic (rates double
 * from step to step; latencies span milliseconds to seconds).
 */
final class LatencyChart {

    /** One line: its name, colour, dash, and a latency in milliseconds at each offered rate. */
    record Series(String name, Color color, boolean dashed, List<Point> points) {
    }

    /** A latency (ms) at an offered rate (per second). */
    record Point(double rate, double millis) {
    }

    private static final int WIDTH = 900;
    private static final int HEIGHT = 560;
    private static final int LEFT = 80;
    private static final int RIGHT = 230;
    private static final int TOP = 50;
    private static final int BOTTOM = 60;

    private LatencyChart() {
    }

    static void write(Path file, String title, List<Series> series) throws IOException {
        if (series.isEmpty() || series.stream().anyMatch(s -> s.points().isEmpty())
                || series.stream().flatMap(s -> s.points().stream()).anyMatch(p -> !(p.rate() > 0))) {
            throw new IllegalArgumentException("Each series needs points, at rates above 0");
        }
        System.setProperty("java.awt.headless", "true");
        double minRate = Double.MAX_VALUE;
        double maxRate = 0;
        double minMs = Double.MAX_VALUE;
        double maxMs = 0;
        for (Series s : series) {
            for (Point p : s.points()) {
                minRate = Math.min(minRate, p.rate());
                maxRate = Math.max(maxRate, p.rate());
                minMs = Math.min(minMs, Math.max(p.millis(), 0.1));
                maxMs = Math.max(maxMs, p.millis());
            }
        }
        double rateLow = Math.log10(minRate) - 0.05;
        double rateHigh = Math.log10(Math.max(maxRate, minRate * 1.01)) + 0.05;
        double msLow = Math.floor(Math.log10(minMs));
        double msHigh = Math.ceil(Math.log10(Math.max(maxMs, minMs * 10)));

        BufferedImage image = new BufferedImage(WIDTH, HEIGHT, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, WIDTH, HEIGHT);
            g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 15));
            g.setColor(Color.BLACK);
            g.drawString(title, LEFT, 28);
            g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
            int plotWidth = WIDTH - LEFT - RIGHT;
            int plotHeight = HEIGHT - TOP - BOTTOM;
            // latency grid: every power of ten, labelled
            for (double decade = msLow; decade <= msHigh; decade++) {
                int y = TOP + (int) ((msHigh - decade) / (msHigh - msLow) * plotHeight);
                g.setColor(new Color(225, 225, 225));
                g.drawLine(LEFT, y, LEFT + plotWidth, y);
                g.setColor(Color.DARK_GRAY);
                g.drawString(label(Math.pow(10, decade)) + " ms", 10, y + 4);
            }
            // rate ticks: each rate measured
            for (Point p : series.get(0).points()) {
                int x = LEFT + (int) ((Math.log10(p.rate()) - rateLow) / (rateHigh - rateLow) * plotWidth);
                g.setColor(new Color(235, 235, 235));
                g.drawLine(x, TOP, x, TOP + plotHeight);
                g.setColor(Color.DARK_GRAY);
                String text = label(p.rate());
                g.drawString(text, x - g.getFontMetrics().stringWidth(text) / 2, TOP + plotHeight + 18);
            }
            g.setColor(Color.BLACK);
            g.drawRect(LEFT, TOP, plotWidth, plotHeight);
            g.drawString("offered load (requests a second, log scale)", LEFT + plotWidth / 2 - 120, HEIGHT - 15);
            int legend = TOP + 10;
            for (Series s : series) {
                g.setColor(s.color());
                g.setStroke(s.dashed() ? new BasicStroke(2f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_ROUND, 1f,
                        new float[] {6f, 5f}, 0f) : new BasicStroke(2.2f));
                int previousX = -1;
                int previousY = -1;
                for (Point p : s.points()) {
                    int x = LEFT + (int) ((Math.log10(p.rate()) - rateLow) / (rateHigh - rateLow) * plotWidth);
                    int y = TOP + (int) ((msHigh - Math.log10(Math.max(p.millis(), 0.1))) / (msHigh - msLow)
                            * plotHeight);
                    if (previousX >= 0) {
                        g.drawLine(previousX, previousY, x, y);
                    }
                    g.fillOval(x - 3, y - 3, 7, 7);
                    previousX = x;
                    previousY = y;
                }
                g.drawLine(LEFT + plotWidth + 15, legend, LEFT + plotWidth + 45, legend);
                g.setColor(Color.BLACK);
                g.drawString(s.name(), LEFT + plotWidth + 52, legend + 4);
                legend += 20;
            }
        } finally {
            g.dispose();
        }
        ImageIO.write(image, "png", file.toFile());
    }

    private static String label(double value) {
        return value >= 1 ? String.format(Locale.ROOT, "%,.0f", value) : String.format(Locale.ROOT, "%.1f", value);
    }
}
