package io.runstream.projection;

import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/** The projection: turns the status stream into a queryable execution view. */
@SpringBootApplication
@ConfigurationPropertiesScan
public class ProjectionApplication {

    public static void main(String[] args) {
        System.setProperty("org.apache.avro.SERIALIZABLE_PACKAGES", "io.runstream.schemas");
        new SpringApplicationBuilder(ProjectionApplication.class).properties("spring.config.name=projection")
                .run(args);
    }
}
