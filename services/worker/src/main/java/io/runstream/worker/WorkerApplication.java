package io.runstream.worker;

import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/** The worker: the Kafka Streams state machine of executions and the runner that executes workflows. */
@SpringBootApplication
@ConfigurationPropertiesScan
public class WorkerApplication {

    public static void main(String[] args) {
        System.setProperty("org.apache.avro.SERIALIZABLE_PACKAGES", "io.runstream.schemas");
        new SpringApplicationBuilder(WorkerApplication.class).properties("spring.config.name=worker").run(args);
    }
}
