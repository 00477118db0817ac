package io.runstream.worker.runner;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** The HTTP clients' debug lines, which may show a URL with a secret filled in, stay off whatever an operator sets. */
class QuietCallLogsTest {

    private final LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
    private final Map<String, Level> before = new HashMap<>();

    @BeforeEach
    void install() {
        for (String name : new String[] {Logger.ROOT_LOGGER_NAME, "reactor.netty.http.client", "reactor",
                "org.springframework.web", "io.runstream"}) {
            before.put(name, context.getLogger(name).getLevel());
        }
        QuietCallLogs.install();
    }

    @AfterEach
    void restore() {
        before.forEach((name, level) -> context.getLogger(name).setLevel(level));
    }

    @Test
    void shouldKeepTheHttpClientsDebugLinesOffWhateverLevelIsSet() {
        context.getLogger(Logger.ROOT_LOGGER_NAME).setLevel(Level.TRACE);
        context.getLogger("reactor").setLevel(Level.DEBUG);
        context.getLogger("org.springframework.web").setLevel(Level.DEBUG);
        context.getLogger("io.runstream").setLevel(Level.DEBUG);
        context.getLogger("reactor.netty.http.client").setLevel(Level.TRACE);

        assertThat(LoggerFactory.getLogger("reactor.netty.http.client.HttpClientConnect").isDebugEnabled()).isFalse();
        assertThat(LoggerFactory.getLogger("reactor.netty.http.client").isDebugEnabled()).isFalse();
        assertThat(LoggerFactory.getLogger("org.springframework.web.reactive.function.client.ExchangeFunctions")
                .isDebugEnabled()).isFalse();
        assertThat(LoggerFactory.getLogger("org.springframework.http.codec.json").isTraceEnabled()).isFalse();
        assertThat(LoggerFactory.getLogger("reactor.netty.http.client").isWarnEnabled()).as("warnings still log")
                .isTrue();
        assertThat(LoggerFactory.getLogger("io.runstream.worker.Anything").isDebugEnabled())
                .as("every other logger as set").isTrue();
        assertThat(LoggerFactory.getLogger("reactor.core.publisher").isDebugEnabled()).isTrue();
        assertThat(LoggerFactory.getLogger("org.springframework.web.server").isDebugEnabled()).isTrue();
    }

    @Test
    void shouldHoldWhenALoggerIsSetBackToInheritingAndWhenTheContextIsReset() throws Exception {
        context.getLogger("reactor.netty").setLevel(null);
        context.getLogger(Logger.ROOT_LOGGER_NAME).setLevel(Level.DEBUG);
        assertThat(LoggerFactory.getLogger("reactor.netty.resources").isDebugEnabled()).isFalse();

        context.reset();
        try {
            context.getLogger(Logger.ROOT_LOGGER_NAME).setLevel(Level.DEBUG);

            assertThat(LoggerFactory.getLogger("reactor.netty.resources").isDebugEnabled()).isFalse();
            assertThat(LoggerFactory.getLogger("io.runstream.worker.Anything").isDebugEnabled()).isTrue();
        } finally {
            // the test logging, as it was configured before the reset
            new ch.qos.logback.classic.util.ContextInitializer(context).autoConfig();
        }
    }
}
