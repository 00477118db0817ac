package io.runstream.ingress.secrets;

/** The broker did not acknowledge a secret's change, so the runners would not see it: the change is not made. */
public class SecretsNotPublishedException extends RuntimeException {

    public SecretsNotPublishedException(String name, Throwable cause) {
        super("The change to secret '" + name + "' could not be published to the log; try again", cause);
    }
}
