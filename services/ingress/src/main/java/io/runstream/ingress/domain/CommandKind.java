package io.runstream.ingress.domain;

/** The commands an execution can be given through the API. */
public enum CommandKind {
    STOP, PAUSE, RESUME, REDRIVE
}
