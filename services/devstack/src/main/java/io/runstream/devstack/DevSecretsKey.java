package io.runstream.devstack;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * The dev stack's key for secrets at rest: made once, from 32 random bytes, in {@code secrets.key} of the data
 * directory (readable by its owner only), and read from there on every start, so secrets stored survive restarts.
 */
final class DevSecretsKey {

    static final String FILE = "secrets.key";

    private DevSecretsKey() {
    }

    /** The key as the ingress takes it ({@code id:base64}). */
    static String of(Path dataDir) {
        Path file = dataDir.resolve(FILE);
        try {
            if (!Files.exists(file)) {
                Files.createDirectories(dataDir);
                byte[] key = new byte[32];
                new SecureRandom().nextBytes(key);
                Path written = Files.createFile(file);
                try {
                    Files.setPosixFilePermissions(written, PosixFilePermissions.fromString("rw-------"));
                } catch (UnsupportedOperationException e) {
                    // a file system without POSIX permissions: the data directory's own protection applies
                }
                Files.writeString(written, "dev1:" + Base64.getEncoder().encodeToString(key) + "\n");
            }
            return Files.readString(file, StandardCharsets.UTF_8).trim();
        } catch (IOException e) {
            throw new UncheckedIOException("Could not make or read the secrets key " + file, e);
        }
    }
}
