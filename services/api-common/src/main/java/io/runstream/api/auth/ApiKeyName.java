package io.runstream.api.auth;

/**
 * The name of the API key a request came with (who holds it, as configured; never the key itself), for limits that
 * count per key; declare it as a handler parameter to receive it.
 */
public record ApiKeyName(String value) {

    static final String ATTRIBUTE = ApiKeyName.class.getName();
}
