package io.runstream.gateway;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.reactor.netty.NettyServerCustomizer;
import org.springframework.boot.webflux.autoconfigure.WebHttpHandlerBuilderCustomizer;
import org.springframework.cloud.gateway.config.GatewayProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.io.Resource;

/**
 * The gateway's settings, and the server's idle timeout: a connection that sends no complete request head for the
 * read timeout (a stalled or trickled header, an idle keep-alive connection) is closed. The body has its own
 * deadline, {@link RequestDeadline}. The API's operations, and the in-process dispatch to services that share the
 * gateway's JVM ({@link LocalDispatch}).
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(GatewaySettings.class)
class EdgeConfig {

    @Bean
    NettyServerCustomizer idleConnections(GatewaySettings settings) {
        return server -> server.idleTimeout(settings.readTimeout());
    }

    /** The operations of the API, read from the OpenAPI document the gateway serves. */
    @Bean
    ApiOperations apiOperations(@Value("classpath:/static/openapi.yaml") Resource openapi) {
        return ApiOperations.read(openapi);
    }

    /** When services run in this JVM (the dev stack), their requests are handed to them in-process. */
    @Bean
    WebHttpHandlerBuilderCustomizer localDispatch(ObjectProvider<LocalServices> local, ApiOperations operations,
            GatewayProperties gateway, RequestDeadline deadline) {
        return builder -> local.ifAvailable(services -> builder.httpHandlerDecorator(handler ->
                new LocalDispatch(handler, operations, RouteTable.of(gateway), services, deadline)));
    }
}
