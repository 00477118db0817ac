package io.runstream.api.auth;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.web.reactive.config.WebFluxConfigurer;
import org.springframework.web.reactive.result.method.annotation.ArgumentResolverConfigurer;
import org.springframework.web.server.WebFilter;

/**
 * Puts API-key authentication in front of a service's HTTP API and lets handlers take a {@link Tenant}. On by
 * default wherever this module is on the classpath; only a process that hosts other apps in the same JVM (the dev
 * stack's worker and gateway) switches it off with {@code runstream.auth.enabled=false}.
 */
@AutoConfiguration
@ConditionalOnProperty(name = "runstream.auth.enabled", havingValue = "true", matchIfMissing = true)
@EnableConfigurationProperties(AuthProperties.class)
public class AuthAutoConfiguration {

    @Bean
    @Order(Ordered.HIGHEST_PRECEDENCE + 10)
    WebFilter apiKeyWebFilter(AuthProperties properties) {
        return new ApiKeyWebFilter(new ApiKeys(properties.keys()));
    }

    @Bean
    WebFluxConfigurer tenantArgumentResolver() {
        return new WebFluxConfigurer() {
            @Override
            public void configureArgumentResolvers(ArgumentResolverConfigurer configurer) {
                configurer.addCustomResolver(new TenantArgumentResolver());
            }
        };
    }
}
