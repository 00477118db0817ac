package io.runstream.devstack;

import io.runstream.testkit.HttpStub;
import io.runstream.testkit.Infrastructure;
import io.runstream.testkit.Ports;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.time.Duration;
import org.springframework.boot.web.server.PortInUseException;
import org.springframework.test.web.reactive.server.WebTestClient;

/**
 * One dev stack (the three services and the gateway) per test JVM, on the JVM's shared infrastructure, closed before
 * it when the JVM exits; the ITs here all talk to it through the gateway, as clients do.
 */
final class TestStack {

    static final String KEY = "rs_dev_default_key";
    static final String OTHER_TENANT_KEY = "rs_dev_other_key";

    private static TestStack shared;

    final Infrastructure infra;
    final String baseUrl;
    final DevStack stack;
    final DevStackSettings settings;
    /** The OTLP collector every service of the stack exports its spans to. */
    final HttpStub collector;

    private TestStack(Infrastructure infra, String baseUrl, DevStack stack, DevStackSettings settings,
            HttpStub collector) {
        this.collector = collector;
        this.infra = infra;
        this.baseUrl = baseUrl;
        this.stack = stack;
        this.settings = settings;
    }

    static synchronized TestStack shared() {
        if (shared == null) {
            Infrastructure infra = Infrastructure.shared();
            // trace export on, as an operator turns it on: the one property, here for the whole stack
            HttpStub collector = new HttpStub();
            System.setProperty("management.opentelemetry.tracing.export.otlp.endpoint",
                    collector.baseUrl() + "/v1/traces");
            for (int attempt = 1; shared == null; attempt++) {
                DevStackSettings settings = freshSettings();
                try {
                    DevStack stack = DevStack.runServices(infra, settings, null);
                    Infrastructure.closeBeforeShared(stack);
                    shared = new TestStack(infra, "http://127.0.0.1:" + settings.gatewayPort(), stack, settings,
                            collector);
                } catch (RuntimeException e) {
                    // a port found free was taken before its service bound it (by a test JVM beside this one that
                    // chose it too); the stack closed what it had started
                    if (attempt == PORT_ATTEMPTS || !portTaken(e)) {
                        throw e;
                    }
                }
            }
        }
        return shared;
    }

    private static final int PORT_ATTEMPTS = 3;

    private static DevStackSettings freshSettings() {
        try {
            return new DevStackSettings(Files.createTempDirectory("e2e-"), 0, 0, 0, Ports.free(), Ports.free(),
                    Ports.free(), Ports.free());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static boolean portTaken(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof PortInUseException) {
                return true;
            }
        }
        return false;
    }

    /** A client of the API's one base URL with the default tenant's key. */
    WebTestClient client() {
        return anonymous().mutate().defaultHeader("X-API-Key", KEY).build();
    }

    WebTestClient anonymous() {
        return WebTestClient.bindToServer().baseUrl(baseUrl).responseTimeout(Duration.ofSeconds(30)).build();
    }
}
