package io.runstream.ingress.secrets;

/** No key to encrypt secrets with is configured, so none can be kept. */
public class SecretsNotConfiguredException extends RuntimeException {

    public SecretsNotConfiguredException() {
        super("No key to encrypt secrets with is configured: set runstream.ingress.secrets.keys (RUNSTREAM_INGRESS_"
                + "SECRETS_KEYS) to id:base64 of 32 random bytes, e.g. k1:$(head -c 32 /dev/urandom | base64)");
    }
}
