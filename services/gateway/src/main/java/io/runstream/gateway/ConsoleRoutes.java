package io.runstream.gateway;

import static org.springframework.web.reactive.function.server.RequestPredicates.GET;
import static org.springframework.web.reactive.function.server.RouterFunctions.route;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.io.Resource;
import org.springframework.http.MediaType;
import org.springframework.web.reactive.function.server.RouterFunction;
import org.springframework.web.reactive.function.server.ServerResponse;
import org.springframework.web.server.WebFilter;

/**
 * The web console: static files under {@code /console/}, its page at {@code /console/} itself, and a content
 * security policy that lets it load nothing but its own files and talk to nothing but this origin.
 */
@Configuration(proxyBeanMethods = false)
class ConsoleRoutes {

    static final String POLICY = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
            + "connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'";

    @Bean
    RouterFunction<ServerResponse> consolePage(@Value("classpath:/static/console/index.html") Resource page) {
        return route(GET("/console/"), request -> ServerResponse.ok().contentType(MediaType.TEXT_HTML).bodyValue(page))
                .andRoute(GET("/console"), request -> ServerResponse.permanentRedirect(
                        request.uriBuilder().path("/").build()).build());
    }

    @Bean
    WebFilter consoleSecurityHeaders() {
        return (exchange, chain) -> {
            if (exchange.getRequest().getPath().value().startsWith("/console")) {
                var headers = exchange.getResponse().getHeaders();
                headers.set("Content-Security-Policy", POLICY);
                headers.set("X-Content-Type-Options", "nosniff");
                headers.set("Referrer-Policy", "no-referrer");
            }
            return chain.filter(exchange);
        };
    }
}
