package io.runstream.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/** Sends a POSIX signal (STOP, CONT, KILL) to processes, for fault tests; the JDK can only send TERM and KILL. */
final class Signals {

    private Signals() {
    }

    static void send(String signal, List<ProcessHandle> processes) {
        processes = processes.stream().filter(ProcessHandle::isAlive).toList();
        if (processes.isEmpty()) {
            return;
        }
        List<String> command = new ArrayList<>(List.of("kill", "-" + signal));
        processes.forEach(p -> command.add(Long.toString(p.pid())));
        try {
            int exit = new ProcessBuilder(command).redirectErrorStream(true).start().waitFor();
            if (exit != 0) {
                throw new IllegalStateException("kill -" + signal + " exited " + exit + " for " + command);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
