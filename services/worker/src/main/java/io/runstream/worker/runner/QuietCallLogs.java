package io.runstream.worker.runner;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.LoggerContextListener;
import ch.qos.logback.classic.turbo.TurboFilter;
import ch.qos.logback.core.spi.FilterReply;
import java.util.List;
import org.slf4j.LoggerFactory;
import org.slf4j.Marker;

/**
 * Keeps the HTTP client's debug lines out of the log, whatever level an operator sets: Reactor Netty's and Spring's
 * HTTP clients log each request's URL at DEBUG, and a call's URL may carry a secret the runner filled in. Their
 * warnings and errors still log. It stays when the logging context is reset; a service that stops and sets up logging
 * again in the same JVM (as the dev stack's do at each start) drops it, so the dev stack installs it again once every
 * service has started.
 */
public final class QuietCallLogs extends TurboFilter implements LoggerContextListener {

    /** The loggers that would write a request's URL or headers below INFO. */
    static final List<String> QUIETED = List.of("reactor.netty", "org.springframework.web.reactive.function.client",
            "org.springframework.http", "org.springframework.web.HttpLogging");

    /** Installs the filter in this JVM's logging, once. */
    public static void install() {
        if (LoggerFactory.getILoggerFactory() instanceof LoggerContext context
                && context.getTurboFilterList().stream().noneMatch(QuietCallLogs.class::isInstance)) {
            QuietCallLogs filter = new QuietCallLogs();
            context.addTurboFilter(filter);
            context.addListener(filter);
        }
    }

    private QuietCallLogs() {
        start();
    }

    private void install(LoggerContext context) {
        if (context.getTurboFilterList().stream().noneMatch(QuietCallLogs.class::isInstance)) {
            context.addTurboFilter(this);
        }
    }

    @Override
    public boolean isResetResistant() {
        return true;
    }

    @Override
    public void onReset(LoggerContext context) {
        install(context);
    }

    @Override
    public void onStart(LoggerContext context) {
        install(context);
    }

    @Override
    public void onStop(LoggerContext context) {
    }

    @Override
    public void onLevelChange(ch.qos.logback.classic.Logger logger, Level level) {
    }

    @Override
    public FilterReply decide(Marker marker, ch.qos.logback.classic.Logger logger, Level level, String format,
            Object[] params, Throwable t) {
        if (level == null || level.isGreaterOrEqual(Level.INFO)) {
            return FilterReply.NEUTRAL;
        }
        String name = logger.getName();
        for (String quieted : QUIETED) {
            if (name.startsWith(quieted)) {
                return FilterReply.DENY;
            }
        }
        return FilterReply.NEUTRAL;
    }
}
