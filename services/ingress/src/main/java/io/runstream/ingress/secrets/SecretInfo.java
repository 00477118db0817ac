package io.runstream.ingress.secrets;

import java.time.Instant;

/** What the API tells of a secret: its name and times, never its value. */
public record SecretInfo(String name, Instant createdAt, Instant updatedAt) {
}
