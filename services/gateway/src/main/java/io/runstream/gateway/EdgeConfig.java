package io.runstream.gateway;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.reactor.netty.NettyServerCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The gateway's settings, and the server's idle timeout: a connection that sends no complete request head for the
 * read timeout (a stalled or trickled header, an idle keep-alive connection) is closed. The body has its own
 * deadline, {@link RequestDeadline}.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(GatewaySettings.class)
class EdgeConfig {

    @Bean
    NettyServerCustomizer idleConnections(GatewaySettings settings) {
        return server -> server.idleTimeout(settings.readTimeout());
    }
}
