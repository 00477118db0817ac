package io.runstream.engine;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import org.junit.jupiter.api.Test;

/**
 * {@code $secrets} and credentials from secrets: allowed only where a call's runner fills them in, and always a signed
 * reference in what the engine dispatches, never a value (the engine has none).
 */
class SecretReferencesTest {

    private static final String HEAD = "document: {dsl: '1.0.0', namespace: t, name: w, version: '0.1.0'}\n";
    private static final ObjectMapper JSON = new ObjectMapper();
    /** A MAC that names its execution, so a test can see which execution a token was made for. */
    private static final SecretReferences SIGNER = (executionId, reference) -> java.util.Arrays.copyOf(
            (executionId + reference.secret()).getBytes(StandardCharsets.UTF_8), SecretReference.MAC_BYTES);

    private static List<Problem> problems(String body) {
        return DefinitionCheckTest.problems(body);
    }

    @Test
    void shouldRefuseSecretsAnywhereButWhereARunnerFillsThemIn() {
        assertThat(problems("""
                use: {secrets: [api]}
                do:
                  - a: {set: {token: '${ $secrets.api }'}}
                  - b:
                      call: http
                      output: {as: '${ $secrets.api }'}
                      with: {method: get, endpoint: 'http://127.0.0.1/'}
                """)).extracting(Problem::at, p -> p.message().startsWith("$secrets may be named only in a call"))
                .containsExactly(org.assertj.core.groups.Tuple.tuple("/do/0/a/set/token", true),
                        org.assertj.core.groups.Tuple.tuple("/do/1/b/output/as", true));
    }

    @Test
    void shouldRefuseASecretNotListedAReferenceThatIsNotOneAndOneNamedWholeAndByField() {
        assertThat(problems("""
                use:
                  secrets: [api, cred]
                  authentications:
                    vault: {basic: {use: missing}}
                do:
                  - a:
                      call: http
                      with:
                        method: get
                        endpoint: 'http://127.0.0.1/'
                        headers:
                          X-One: '${ $secrets.other }'
                          X-Two: '${ $secrets | keys | join(",") }'
                          X-Three: '${ $secrets.api[0] }'
                          X-Four: '${ $secrets.cred }'
                          X-Five: '${ $secrets.cred.password }'
                """)).extracting(Problem::at, Problem::message).containsExactly(
                org.assertj.core.groups.Tuple.tuple("/do/0/a/with/headers/X-One",
                        "secret 'other' is not listed in use.secrets (it lists api, cred)"),
                org.assertj.core.groups.Tuple.tuple("/do/0/a/with/headers/X-Two", "$secrets is followed by the "
                        + "name of a secret and its fields, $secrets.name.field or $secrets[\"name\"], in "
                        + "'$secrets | keys | join(\",\")'"),
                org.assertj.core.groups.Tuple.tuple("/do/0/a/with/headers/X-Three", "$secrets is followed by the "
                        + "name of a secret and its fields, $secrets.name.field or $secrets[\"name\"], in "
                        + "'$secrets.api[0]'"),
                org.assertj.core.groups.Tuple.tuple("/use/authentications/vault/basic/use",
                        "secret 'missing' is not listed in use.secrets (it lists api, cred)"),
                org.assertj.core.groups.Tuple.tuple("/do/0/a/with/headers/X-Four", "$secrets.cred is named here and "
                        + "$secrets.cred.password elsewhere: name a secret whole or by its fields"));
    }

    @Test
    void shouldDispatchSignedReferencesInEveryPlaceAndNeverAValue() throws Exception {
        Definition definition = Definitions.compile(HEAD + """
                use:
                  secrets: [api, cred, my-key]
                  authentications:
                    vault: {basic: {use: cred}}
                do:
                  - withHeaderQueryAndBody:
                      call: http
                      with:
                        method: post
                        endpoint: '${ "http://127.0.0.1/x?k=" + $secrets["my-key"] }'
                        headers: {X-Token: '${ "Token " + $secrets.api.token }'}
                        query: {q: '${ $secrets.api.token }'}
                        body: {password: '${ $secrets.cred.password }', plain: '${ .plain }'}
                  - withBasicFromASecret:
                      call: http
                      with: {method: get, endpoint: {uri: 'http://127.0.0.1/b', authentication: {use: vault}}}
                  - withBearerFromASecret:
                      call: http
                      with:
                        method: get
                        output: response
                        endpoint: {uri: 'http://127.0.0.1/c', authentication: {bearer: {use: api}}}
                """);
        MachineDriver driver = new MachineDriver(new Machine(Limits.DEFAULT, SIGNER), request -> HttpResponse.of(200,
                Map.of("Content-Type", "application/json"), "{}".getBytes(StandardCharsets.UTF_8)));
        Outcome outcome = driver.run(definition, JSON.readTree("{\"plain\":\"p\"}"));

        assertThat(outcome).isInstanceOf(Outcome.Succeeded.class);
        HttpRequest first = driver.dispatches.get(0).request();
        assertThat(references(first.uri())).containsExactly("my-key", "api.token");
        assertThat(references(first.headers().get("X-Token"))).containsExactly("api.token");
        assertThat(first.headers().get("X-Token")).startsWith("Token rsref_");
        JsonNode body = JSON.readTree(first.body());
        assertThat(references(body.path("password").asText())).containsExactly("cred.password");
        assertThat(body.path("plain").asText()).isEqualTo("p");
        // each reference is signed for this execution
        Matcher token = SecretReference.TOKEN.matcher(first.headers().get("X-Token"));
        assertThat(token.find()).isTrue();
        assertThat(new String(HexFormat.of().parseHex(token.group(2)), StandardCharsets.UTF_8)).startsWith("e1api");

        String basic = driver.dispatches.get(1).request().headers().get("Authorization");
        Matcher pair = SecretReference.CREDENTIAL.matcher(basic);
        assertThat(pair.matches()).as("a basic credential the runner encodes: %s", basic).isTrue();
        assertThat(references(new String(HexFormat.of().parseHex(pair.group(2)), StandardCharsets.UTF_8)))
                .containsExactly("cred.username", "cred.password");
        assertThat(references(driver.dispatches.get(2).request().headers().get("Authorization")))
                .containsExactly("api.token");
        // the response's echo of the request shows no reference
        assertThat(((Outcome.Succeeded) outcome).output().path("request").path("headers").path("Authorization").asText())
                .isEqualTo("Bearer ***");
    }

    @Test
    void shouldHandTheRunnerTheCredentialsOnlyItCanMakeAndShowTheSchemeAlone() throws Exception {
        Definition definition = Definitions.compile(HEAD + """
                use:
                  secrets: [idp]
                  authentications:
                    sso:
                      oauth2:
                        authority: http://127.0.0.1/idp
                        grant: client_credentials
                        client: {id: runtime, secret: '${ $secrets.idp.secret }'}
                        scopes: [api]
                do:
                  - digested:
                      call: http
                      with:
                        method: get
                        endpoint: {uri: 'http://127.0.0.1/d', authentication: {digest: {username: u, password: p}}}
                  - tokened:
                      call: http
                      output: {as: '${ $authorization }'}
                      with: {method: get, endpoint: {uri: 'http://127.0.0.1/o', authentication: {use: sso}}}
                """);
        MachineDriver driver = new MachineDriver(new Machine(Limits.DEFAULT, SIGNER), request -> HttpResponse.of(200,
                Map.of(), new byte[0]));
        Outcome outcome = driver.run(definition, JSON.readTree("{}"));

        Matcher digest = SecretReference.CREDENTIAL.matcher(driver.dispatches.get(0).request().headers()
                .get("Authorization"));
        assertThat(digest.matches()).isTrue();
        assertThat(digest.group(1)).isEqualTo("digest");
        assertThat(new String(HexFormat.of().parseHex(digest.group(2)), StandardCharsets.UTF_8)).isEqualTo("u:p");
        Matcher oauth = SecretReference.CREDENTIAL.matcher(driver.dispatches.get(1).request().headers()
                .get("Authorization"));
        assertThat(oauth.matches()).isTrue();
        JsonNode described = JSON.readTree(HexFormat.of().parseHex(oauth.group(2)));
        assertThat(described.path("kind").asText()).isEqualTo("oauth2");
        assertThat(described.path("policy").path("authority").asText()).isEqualTo("http://127.0.0.1/idp");
        assertThat(references(described.path("policy").path("client").path("secret").asText()))
                .containsExactly("idp.secret");
        assertThat(((Outcome.Succeeded) outcome).output()).isEqualTo(JSON.readTree(
                "{\"scheme\":\"Bearer\",\"parameter\":\"***\"}"));
    }

    /** What each reference in a text names, in order. */
    private static List<String> references(String text) {
        Matcher m = SecretReference.TOKEN.matcher(text);
        List<String> names = new java.util.ArrayList<>();
        while (m.find()) {
            names.add(SecretReference.ofPayload(m.group(1)).shown());
        }
        return names;
    }
}
