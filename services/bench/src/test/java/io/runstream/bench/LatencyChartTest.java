package io.runstream.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.Color;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LatencyChartTest {

    @Test
    void shouldDrawEachSeriesWhereItsLatenciesAre(@TempDir Path dir) throws Exception {
        Color red = new Color(200, 0, 0);
        Color green = new Color(0, 160, 0);
        Path png = dir.resolve("chart.png");
        // a flat line at 10 ms and one rising from 10 ms to 1 s
        LatencyChart.write(png, "test", List.of(
                new LatencyChart.Series("flat", red, false, List.of(new LatencyChart.Point(100, 10),
                        new LatencyChart.Point(200, 10), new LatencyChart.Point(400, 10))),
                new LatencyChart.Series("rising", green, true, List.of(new LatencyChart.Point(100, 10),
                        new LatencyChart.Point(200, 100), new LatencyChart.Point(400, 1000)))));

        BufferedImage image = ImageIO.read(png.toFile());
        assertThat(image.getWidth()).isEqualTo(900);
        assertThat(image.getHeight()).isEqualTo(560);
        // the flat series stays in one row of the plot; the rising one spans from that row to the top decade
        int[] redRows = rows(image, red);
        int[] greenRows = rows(image, green);
        assertThat(redRows[1] - redRows[0]).as("flat: red in a band a few pixels high").isLessThan(12);
        assertThat(greenRows[1] - greenRows[0]).as("rising: green over two decades").isGreaterThan(200);
        assertThat(greenRows[1]).as("both start at 10 ms").isBetween(redRows[0] - 6, redRows[1] + 6);
    }

    @Test
    void shouldRefuseWhatItCannotDraw(@TempDir Path dir) {
        Path png = dir.resolve("chart.png");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> LatencyChart.write(png, "none", List.of()))
                .isInstanceOf(IllegalArgumentException.class);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> LatencyChart.write(png, "zero", List.of(
                new LatencyChart.Series("s", Color.RED, false, List.of(new LatencyChart.Point(0, 1))))))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(png).doesNotExist();
    }

    /** The first and last row of the plot (left of the legend) with a pixel of {@code color}. */
    private static int[] rows(BufferedImage image, Color color) {
        int first = -1;
        int last = -1;
        for (int y = 0; y < image.getHeight(); y++) {
            for (int x = 0; x < 900 - 230; x++) {
                if ((image.getRGB(x, y) & 0xFFFFFF) == (color.getRGB() & 0xFFFFFF)) {
                    first = first < 0 ? y : first;
                    last = y;
                    break;
                }
            }
        }
        assertThat(first).as("some pixel of %s", color).isNotNegative();
        return new int[] {first, last};
    }
}
