package io.runstream.api.dialect;

import org.springframework.http.HttpStatusCode;

/** A failure as the API reports it: the HTTP status, a stable code and a readable message. */
public record ApiFailure(HttpStatusCode status, String code, String message) {
}
