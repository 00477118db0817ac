package io.runstream.ingress.secrets;

/** A name no secret may have. */
public class InvalidSecretNameException extends RuntimeException {

    public InvalidSecretNameException() {
        super("A secret's name is 1 to 128 letters, digits, '.', '_' or '-', starting with a letter or a digit");
    }
}
