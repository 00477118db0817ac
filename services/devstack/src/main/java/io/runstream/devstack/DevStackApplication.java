package io.runstream.devstack;

import io.runstream.worker.WorkerApplication;

/** One command for the whole stack on this machine: embedded Kafka, PostgreSQL and registry, plus the three services. */
public final class DevStackApplication {

    private DevStackApplication() {
    }

    public static void main(String[] args) throws Exception {
        WorkerApplication.prepareJvm();
        String structured = System.getenv("LOGGING_STRUCTURED_FORMAT_CONSOLE");
        if (structured != null && !structured.isBlank()) {
            // JSON lines with the one setting a service jar takes, also for the dev stack's own log configuration
            System.setProperty("logging.config", "classpath:logback-structured.xml");
        }
        try {
            DevStack.start(DevStackSettings.fromEnvironment(System.getenv()));
        } catch (PortCheck.PortTakenException e) {
            System.err.println(e.getMessage());
            System.exit(1);
        } catch (Exception e) {
            System.err.println("Runstream dev stack failed to start: " + e);
            System.exit(1);
        }
    }
}
