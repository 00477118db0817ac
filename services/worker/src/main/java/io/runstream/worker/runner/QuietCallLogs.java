package io.runstream.worker.runner;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.LoggerContextListener;
import java.util.List;
import org.slf4j.LoggerFactory;

/**
 * Keeps the HTTP client's debug lines out of the log, whatever level an operator sets: Reactor Netty's and Spring's
 * HTTP clients log each request's URL at DEBUG, and a call's URL may carry a secret the runner filled in. Their
 * warnings and errors still log.
 *
 * <p>It holds those loggers at INFO: each gets INFO as its own level (so a root or parent turned down to DEBUG does not
 * reach them), and a level set on one of them or below them that is finer than INFO is raised back to INFO as it is
 * set. So a debug line of theirs is refused by the logger's level check alone, and every other logger's calls cost
 * nothing more (a turbo filter, which did this before, ran on every logging call of every logger, enabled or not).
 * It stays when the logging context is reset; a service that stops and sets up logging again in the same JVM (as the
 * dev stack's do at each start) drops it, so the dev stack installs it again once every service has started.
 */
public final class QuietCallLogs implements LoggerContextListener {

    /** The loggers that would write a request's URL or headers below INFO. */
    static final List<String> QUIETED = List.of("reactor.netty", "org.springframework.web.reactive.function.client",
            "org.springframework.http", "org.springframework.web.HttpLogging");

    /** Installs it in this JVM's logging, once. */
    public static void install() {
        if (LoggerFactory.getILoggerFactory() instanceof LoggerContext context) {
            if (context.getCopyOfListenerList().stream().noneMatch(QuietCallLogs.class::isInstance)) {
                context.addListener(new QuietCallLogs());
            }
            quiet(context);
        }
    }

    private QuietCallLogs() {
    }

    /** Sets INFO on the quieted loggers, and on any logger below one of them set finer than INFO. */
    private static void quiet(LoggerContext context) {
        for (String name : QUIETED) {
            context.getLogger(name).setLevel(Level.INFO);
        }
        for (Logger logger : context.getLoggerList()) {
            if (quieted(logger.getName()) && logger.getLevel() != null && !logger.getLevel().isGreaterOrEqual(
                    Level.INFO)) {
                logger.setLevel(Level.INFO);
            }
        }
    }

    static boolean quieted(String name) {
        for (String quieted : QUIETED) {
            if (name.equals(quieted) || name.startsWith(quieted + ".")) {
                return true;
            }
        }
        return false;
    }

    @Override
    public boolean isResetResistant() {
        return true;
    }

    @Override
    public void onReset(LoggerContext context) {
        quiet(context);
    }

    @Override
    public void onStart(LoggerContext context) {
        quiet(context);
    }

    @Override
    public void onStop(LoggerContext context) {
    }

    /** A quieted logger set finer than INFO, or one of the top ones set back to inheriting, is set to INFO again. */
    @Override
    public void onLevelChange(Logger logger, Level level) {
        Level own = logger.getLevel();
        if (quieted(logger.getName()) && (own == null ? QUIETED.contains(logger.getName())
                : !own.isGreaterOrEqual(Level.INFO))) {
            logger.setLevel(Level.INFO);
        }
    }
}
