package io.runstream.ingress.validation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatNoException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.runstream.ingress.catalog.DefinitionFormat;
import io.runstream.ingress.catalog.InvalidDefinitionException;
import org.junit.jupiter.api.Test;

class SdkDefinitionValidatorTest {

    static final String HEADER = """
            document:
              dsl: '1.0.0'
              namespace: test
              name: demo
              version: '0.1.0'
            """;

    private final SdkDefinitionValidator validator = new SdkDefinitionValidator();

    @Test
    void shouldAcceptAValidYamlDefinition() {
        assertThatNoException().isThrownBy(() -> validator.validate(HEADER + """
                do:
                  - greet:
                      set:
                        hello: world
                """, DefinitionFormat.YAML));
    }

    @Test
    void shouldAcceptAValidJsonDefinition() {
        assertThatNoException().isThrownBy(() -> validator.validate("""
                {"document": {"dsl": "1.0.0", "namespace": "test", "name": "demo", "version": "0.1.0"},
                 "do": [{"greet": {"set": {"hello": "world"}}}]}""", DefinitionFormat.JSON));
    }

    @Test
    void shouldNameThePathOfAnInvalidTaskInAFewWords() {
        assertThatThrownBy(() -> validator.validate(HEADER + """
                do:
                  - greet:
                      sett:
                        hello: world
                """, DefinitionFormat.YAML))
                .isInstanceOf(InvalidDefinitionException.class)
                .hasMessageContaining("/do/0/greet")
                .hasMessageContaining("'sett'")
                .satisfies(e -> assertThat(e.getMessage().length()).isLessThan(300))
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
    }

    @Test
    void shouldNameTheMissingPropertyOfAListenFilterFirst() {
        assertThatThrownBy(() -> validator.validate(HEADER + """
                do:
                  - paid:
                      listen:
                        to:
                          one:
                            with: {type: order.paid}
                            correlate:
                              orderId: {expect: '${ .id }'}
                """, DefinitionFormat.YAML))
                .isInstanceOf(InvalidDefinitionException.class)
                .hasMessageStartingWith("Invalid workflow definition: /do/0/paid/listen/to/one/correlate/orderId: "
                        + "required property 'from' not found");
    }

    @Test
    void shouldRejectAMissingDocumentSection() {
        assertThatThrownBy(() -> validator.validate("do: []\n", DefinitionFormat.YAML))
                .isInstanceOf(InvalidDefinitionException.class)
                .hasMessageContaining("document");
    }

    @Test
    void shouldRefuseShellTasksEvenNested() {
        assertThatThrownBy(() -> validator.validate(HEADER + """
                do:
                  - outer:
                      do:
                        - list:
                            run:
                              shell:
                                command: ls
                """, DefinitionFormat.YAML))
                .isInstanceOf(io.runstream.ingress.catalog.UnsupportedFeatureException.class)
                .hasMessageContaining("/do/0/outer/do/0/list/run")
                .hasMessageContaining("'run: shell', which Runstream refuses");
    }

    @Test
    void shouldTakeARunWorkflowAndStillRefuseProcesses() {
        validator.validate(HEADER + """
                do:
                  - child:
                      run:
                        await: false
                        workflow: {namespace: shop, name: pay, version: '1.0.0', input: {order: '${ .id }'}}
                  - latest:
                      run:
                        workflow: {namespace: shop, name: pay, version: latest}
                  - byDefault:
                      run:
                        workflow: {namespace: shop, name: pay}
                """, DefinitionFormat.YAML);
        for (String process : new String[] {"shell: {command: ls}", "container: {image: alpine}",
                "script: {language: js, code: '1'}"}) {
            assertThatThrownBy(() -> validator.validate(HEADER + "do:\n  - p:\n      run: {" + process + "}\n",
                    DefinitionFormat.YAML))
                    .isInstanceOf(io.runstream.ingress.catalog.UnsupportedFeatureException.class)
                    .hasMessageContaining("which Runstream refuses");
        }
        assertThatThrownBy(() -> validator.validate(HEADER + """
                do:
                  - child:
                      run:
                        workflow: {namespace: shop, name: '${ .which }', version: latest}
                """, DefinitionFormat.YAML))
                .isInstanceOf(InvalidDefinitionException.class)
                .hasMessageContaining("/do/0/child/run/workflow/name");
    }

    @Test
    void shouldTakeTheAuthenticationsRunAndRefuseTheOnesNotRunYet() {
        validator.validate(HEADER + """
                use:
                  authentications:
                    login: {basic: {username: u, password: p}}
                do:
                  - a:
                      call: http
                      with: {method: get, endpoint: {uri: 'https://example.com/', authentication: {use: login}}}
                  - b:
                      call: http
                      with:
                        method: get
                        endpoint: {uri: 'https://example.com/', authentication: {bearer: {token: t}}}
                """, DefinitionFormat.YAML);
        validator.validate(HEADER + """
                use:
                  secrets: [mySecret]
                  authentications:
                    vault: {basic: {use: mySecret}}
                do:
                  - a: {set: {x: 1}}
                """, DefinitionFormat.YAML);
        assertThatThrownBy(() -> validator.validate(HEADER + """
                use:
                  authentications:
                    vault: {basic: {use: mySecret}}
                do:
                  - a: {set: {x: 1}}
                """, DefinitionFormat.YAML))
                .isInstanceOf(io.runstream.ingress.catalog.InvalidDefinitionException.class)
                .hasMessageContaining("secret 'mySecret' is not listed in use.secrets");
validator.validate(HEADER + """
                use:
                  secrets: [idp]
                  authentications:
                    digested: {digest: {username: u, password: p}}
                    idp: {oauth2: {authority: 'https://example.com', grant: client_credentials, client: {id: a, secret: b}}}
                    fromSecret: {oidc: {use: idp}}
                do:
                  - a: {set: {x: 1}}
                """, DefinitionFormat.YAML);
        assertThatThrownBy(() -> validator.validate(HEADER + """
                do:
                  - a:
                      call: http
                      with:
                        method: get
                        endpoint:
                          uri: 'https://example.com/'
                          authentication:
                            certificate: {}
                """, DefinitionFormat.YAML))
                .isInstanceOf(io.runstream.ingress.catalog.UnsupportedFeatureException.class)
                .hasMessageContaining("/do/0/a/with/endpoint/authentication/certificate uses 'certificate'");
        assertThatThrownBy(() -> validator.validate(HEADER + """
                use:
                  authentications:
                    code: {oauth2: {authority: 'https://example.com', grant: authorization_code, client: {id: a}}}
                do:
                  - a: {set: {x: 1}}
                """, DefinitionFormat.YAML))
                .isInstanceOf(io.runstream.ingress.catalog.UnsupportedFeatureException.class)
                .hasMessageContaining("/use/authentications/code/oauth2/grant uses grant 'authorization_code'");
    }

    @Test
    void shouldRefuseACallThisVersionDoesNotRunNamingItAndItsPath() {
        for (String call : new String[] {"grpc", "asyncapi"}) {
            assertThatThrownBy(() -> validator.validate(HEADER + """
                    do:
                      - guarded:
                          try:
                            - remote:
                                call: %s
                                with: {}
                          catch: {}
                    """.formatted(call), DefinitionFormat.YAML))
                    .isInstanceOf(io.runstream.ingress.catalog.UnsupportedFeatureException.class)
                    .hasMessageContaining("/do/0/guarded/try/0/remote/call")
                    .hasMessageContaining("'call: " + call + "', which this version of Runstream does not support");
        }
    }

    @Test
    void shouldAcceptACallOpenapiWithItsDocumentParametersAndAuthentication() {
        assertThatNoException().isThrownBy(() -> validator.validate(HEADER + """
                use:
                  authentications:
                    api:
                      bearer: {token: '${ .token }'}
                do:
                  - getPet:
                      call: openapi
                      with:
                        document:
                          name: pets
                          endpoint:
                            uri: https://petstore.example.com/v2/swagger.json
                            authentication:
                              basic: {username: reader, password: pw}
                        operationId: getPetById
                        parameters:
                          petId: ${ .petId }
                        authentication: {use: api}
                        output: response
                        redirect: true
                """, DefinitionFormat.YAML));
    }

    @Test
    void shouldRefuseACallOpenapiWhoseOwnAuthenticationThisVersionDoesNotRun() {
        assertThatThrownBy(() -> validator.validate(HEADER + """
                do:
                  - getPet:
                      call: openapi
                      with:
                        document:
                          endpoint: https://petstore.example.com/v2/swagger.json
                        operationId: getPetById
                        authentication:
                          certificate: {}
                """, DefinitionFormat.YAML))
                .isInstanceOf(io.runstream.ingress.catalog.UnsupportedFeatureException.class)
                .hasMessageContaining("/do/0/getPet/with/authentication/certificate uses 'certificate'");
    }

    @Test
    void shouldNotMistakeDataNamedRunForARunTask() {
        assertThatNoException().isThrownBy(() -> validator.validate(HEADER + """
                do:
                  - remember:
                      set:
                        run:
                          shell: not a task
                """, DefinitionFormat.YAML));
    }

    @Test
    void shouldRejectMalformedYamlAndJson() {
        assertThatThrownBy(() -> validator.validate("{not yaml: [", DefinitionFormat.YAML))
                .isInstanceOf(InvalidDefinitionException.class)
                .hasMessageContaining("not valid YAML");
        assertThatThrownBy(() -> validator.validate("{\"document\": ", DefinitionFormat.JSON))
                .isInstanceOf(InvalidDefinitionException.class)
                .hasMessageContaining("not valid JSON");
    }
}
