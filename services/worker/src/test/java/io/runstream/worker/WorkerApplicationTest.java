package io.runstream.worker;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Locale;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class WorkerApplicationTest {

    private final Locale format = Locale.getDefault(Locale.Category.FORMAT);
    private final Locale display = Locale.getDefault(Locale.Category.DISPLAY);

    @AfterEach
    void restore() {
        Locale.setDefault(Locale.Category.FORMAT, format);
        Locale.setDefault(Locale.Category.DISPLAY, display);
    }

    @Test
    void shouldFormatNumbersTheEnUsWayWhateverTheMachinesLocale() {
        Locale.setDefault(Locale.Category.FORMAT, Locale.GERMANY);
        Locale.setDefault(Locale.Category.DISPLAY, Locale.GERMANY);

        WorkerApplication.prepareJvm();

        assertThat(Locale.getDefault(Locale.Category.FORMAT)).isEqualTo(Locale.US);
        assertThat(String.format("%d %.1f", 1234567, 1.5)).isEqualTo("1234567 1.5");
        assertThat(Locale.getDefault(Locale.Category.DISPLAY)).as("only formatting changes").isEqualTo(Locale.GERMANY);
        assertThat(System.getProperty("org.apache.avro.SERIALIZABLE_PACKAGES")).isEqualTo("io.runstream.schemas");
    }
}
