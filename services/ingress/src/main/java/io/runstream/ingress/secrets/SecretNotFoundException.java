package io.runstream.ingress.secrets;

/** The tenant has no secret of that name. */
public class SecretNotFoundException extends RuntimeException {

    public SecretNotFoundException(String name) {
        super("No secret named '" + name + "'");
    }
}
