package io.runstream.ingress;

import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;
import org.springframework.scheduling.annotation.EnableScheduling;

/** The REST ingress: accepts execution requests and publishes them to Kafka. */
@SpringBootApplication
@ConfigurationPropertiesScan
@EnableScheduling
public class IngressApplication {

    public static void main(String[] args) {
        System.setProperty("org.apache.avro.SERIALIZABLE_PACKAGES", "io.runstream.schemas");
        new SpringApplicationBuilder(IngressApplication.class).properties("spring.config.name=ingress").run(args);
    }
}
