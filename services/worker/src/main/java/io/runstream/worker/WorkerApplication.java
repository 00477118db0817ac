package io.runstream.worker;

import java.util.Locale;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/** The worker: the Kafka Streams state machine of executions and the runner that executes workflows. */
@SpringBootApplication
@ConfigurationPropertiesScan
public class WorkerApplication {

    public static void main(String[] args) {
        prepareJvm();
        new SpringApplicationBuilder(WorkerApplication.class).properties("spring.config.name=worker").run(args);
    }

    /**
     * What the worker needs of the JVM it runs in, set before it starts (also by the dev stack, whose JVM it shares
     * with the other services): Avro may read back the schemas' classes, and numbers are formatted the en-US way.
     * Java's {@code Formatter} builds new {@code DecimalFormatSymbols} for every {@code %d} unless the format locale
     * is en-US, and Kafka Streams formats such a line for every empty input partition of a task, for each record it
     * processes, whenever {@code max.task.idle.ms} is 0 or more ({@code PartitionGroup.readyToProcess}; the worker
     * sets -1): with the machine's {@code en} and Kafka's 0, that took a twelfth of the stream thread's samples at
     * 200 starts a second.
     */
    public static void prepareJvm() {
        System.setProperty("org.apache.avro.SERIALIZABLE_PACKAGES", "io.runstream.schemas");
        Locale.setDefault(Locale.Category.FORMAT, Locale.US);
    }
}
