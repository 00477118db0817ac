package io.runstream.api.auth;

/** The tenant a request acts for, resolved from its API key; declare it as a handler parameter to receive it. */
public record Tenant(String id) {

    static final String ATTRIBUTE = Tenant.class.getName();
}
