package io.runstream.gateway;

import jakarta.validation.constraints.NotNull;
import java.net.URI;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.annotation.Validated;

/**
 * Settings of the gateway.
 *
 * @param ingressUri where the ingress listens: starts, commands and the workflow catalog go there
 * @param projectionUri where the projection listens: reads, lists, histories and event streams go there
 * @param readTimeout longest silence from a client while it sends a request body (408), and longest a connection
 *     may go without sending a complete request head (closed): a stalled header or an idle keep-alive connection
 * @param requestTimeout longest a client may take to send a request's body, counted from its head (408); answers
 *     are not bounded by it, so long polls and event streams keep going
 */
@Validated
@ConfigurationProperties("runstream.gateway")
record GatewaySettings(
        @NotNull URI ingressUri,
        @NotNull URI projectionUri,
        @NotNull Duration readTimeout,
        @NotNull Duration requestTimeout) {
}
