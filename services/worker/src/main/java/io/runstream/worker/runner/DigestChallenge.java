package io.runstream.worker.runner;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * HTTP Digest access authentication (RFC 7616): the {@code Authorization} header that answers a callee's
 * {@code WWW-Authenticate: Digest} challenge, with MD5 or SHA-256, and {@code qop=auth} when the challenge offers it.
 */
final class DigestChallenge {

    private static final Pattern PARAMETER = Pattern.compile("(\\w+)\\s*=\\s*(?:\"([^\"]*)\"|([^,\\s]+))");
    private static final SecureRandom RANDOM = new SecureRandom();

    private final Map<String, String> parameters;

    private DigestChallenge(Map<String, String> parameters) {
        this.parameters = parameters;
    }

    /** The digest challenge in a {@code WWW-Authenticate} value, or null if it holds none. */
    static DigestChallenge of(String header) {
        if (header == null) {
            return null;
        }
        int at = header.toLowerCase(Locale.ROOT).indexOf("digest ");
        if (at < 0) {
            return null;
        }
        Map<String, String> parameters = new LinkedHashMap<>();
        Matcher m = PARAMETER.matcher(header.substring(at + "digest ".length()));
        while (m.find()) {
            parameters.putIfAbsent(m.group(1).toLowerCase(Locale.ROOT), m.group(2) != null ? m.group(2) : m.group(3));
        }
        return parameters.containsKey("nonce") ? new DigestChallenge(parameters) : null;
    }

    /** The header answering it for one request. */
    String answer(String method, URI uri, String username, String password) {
        String algorithm = parameters.getOrDefault("algorithm", "MD5");
        String hash = algorithm.toUpperCase(Locale.ROOT).startsWith("SHA-256") ? "SHA-256" : "MD5";
        String realm = parameters.getOrDefault("realm", "");
        String nonce = parameters.get("nonce");
        String path = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
        String digestUri = uri.getRawQuery() == null ? path : path + "?" + uri.getRawQuery();
        String ha1 = hex(hash, username + ":" + realm + ":" + password);
        String ha2 = hex(hash, method.toUpperCase(Locale.ROOT) + ":" + digestUri);
        boolean qop = parameters.containsKey("qop") && java.util.Arrays.stream(parameters.get("qop").split(","))
                .map(String::strip).anyMatch("auth"::equals);
        StringBuilder header = new StringBuilder("Digest username=\"").append(username).append("\", realm=\"")
                .append(realm).append("\", nonce=\"").append(nonce).append("\", uri=\"").append(digestUri)
                .append("\", algorithm=").append(algorithm);
        if (qop) {
            byte[] random = new byte[8];
            RANDOM.nextBytes(random);
            String cnonce = HexFormat.of().formatHex(random);
            String nc = "00000001";
            header.append(", qop=auth, nc=").append(nc).append(", cnonce=\"").append(cnonce)
                    .append("\", response=\"").append(hex(hash, ha1 + ":" + nonce + ":" + nc + ":" + cnonce
                            + ":auth:" + ha2)).append('"');
        } else {
            header.append(", response=\"").append(hex(hash, ha1 + ":" + nonce + ":" + ha2)).append('"');
        }
        if (parameters.containsKey("opaque")) {
            header.append(", opaque=\"").append(parameters.get("opaque")).append('"');
        }
        return header.toString();
    }

    private static String hex(String algorithm, String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance(algorithm)
                    .digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(algorithm + " is not available", e);
        }
    }
}
