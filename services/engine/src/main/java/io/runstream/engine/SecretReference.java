package io.runstream.engine;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.regex.Pattern;

/**
 * A secret's value, or a field of it, named where a call will carry it: the engine never holds a value, so
 * {@code $secrets.name.field} gives a token that stands for it, and the runner puts the value in its place when it
 * makes the call. A token is made only of {@code [a-z0-9_]}, so it comes through URL and JSON encoding unchanged,
 * and carries a MAC over its execution and what it names ({@link SecretReferences}), so one that an input or a
 * response brings in is not filled in.
 *
 * @param secret the secret's name, as {@code use.secrets} lists it
 * @param path the fields named after it (none: the whole value)
 */
public record SecretReference(String secret, List<String> path) {

    /** A token: the hex of what it names, then the hex of its 16-byte MAC. */
    public static final Pattern TOKEN = Pattern.compile("rsref_([0-9a-f]{2,2048})_([0-9a-f]{32})");
    /**
     * A credential the runner makes once it has filled in the references inside, the hex of what it is made from:
     * {@code basic} and {@code digest} of {@code username:password} (sent base64-encoded, or answering the callee's
     * digest challenge), {@code oauth2} of the policy as JSON (a token the runner requests and caches).
     */
    public static final Pattern CREDENTIAL = Pattern.compile("rs(basic|digest|oauth2)_([0-9a-f]{2,32768})");
    /** The bytes of a MAC in a token. */
    public static final int MAC_BYTES = 16;
    private static final HexFormat HEX = HexFormat.of();

    public SecretReference {
        path = List.copyOf(path);
    }

    /** What the MAC covers besides the execution: the name and the fields, NUL-separated. */
    public byte[] payload() {
        StringBuilder text = new StringBuilder(secret);
        path.forEach(field -> text.append('\u0000').append(field));
        return text.toString().getBytes(StandardCharsets.UTF_8);
    }

    /** The token for this reference with its MAC. */
    public String token(byte[] mac) {
        return "rsref_" + HEX.formatHex(payload()) + "_" + HEX.formatHex(Arrays.copyOf(mac, MAC_BYTES));
    }

    /** The reference a token's first group names. */
    public static SecretReference ofPayload(String hex) {
        String[] parts = new String(HEX.parseHex(hex), StandardCharsets.UTF_8).split("\u0000", -1);
        return new SecretReference(parts[0], Arrays.asList(parts).subList(1, parts.length));
    }

    /** A credential of a kind ({@code basic}, {@code digest}, {@code oauth2}) the runner makes from this text. */
    static String credential(String kind, String text) {
        return "rs" + kind + "_" + HEX.formatHex(text.getBytes(StandardCharsets.UTF_8));
    }

    /** Whether a text holds a reference. */
    static boolean within(String text) {
        return text != null && text.contains("rsref_");
    }

    /** A text with its references and basic credentials shown as {@code ***}, as an echo of a request shows them. */
    public static String hidden(String text) {
        if (text == null || !text.contains("rs")) {
            return text;
        }
        return CREDENTIAL.matcher(TOKEN.matcher(text).replaceAll("***")).replaceAll("***");
    }

    /** The name a reference is shown by: {@code name.field}. */
    public String shown() {
        return path.isEmpty() ? secret : secret + "." + String.join(".", path);
    }
}
