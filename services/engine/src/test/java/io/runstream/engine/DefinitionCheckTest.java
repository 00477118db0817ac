package io.runstream.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.util.List;
import org.junit.jupiter.api.Test;

class DefinitionCheckTest {

    private static final String HEAD = "document: {dsl: '1.0.0', namespace: t, name: w, version: '0.1.0'}\n";

    static List<Problem> problems(String body) {
        var refused = catchThrowableOfType(Definitions.InvalidDefinitionException.class,
                () -> Definitions.compile(HEAD + body));
        assertThat(refused).as("the definition is refused").isNotNull();
        return refused.problems();
    }

    @Test
    void shouldCompileASoundDefinition() {
        Definitions.compile(HEAD + """
                use:
                  retries: {twice: {delay: {seconds: 1}, limit: {attempt: {count: 2}}}}
                  timeouts: {short: {after: PT5S}}
                  errors: {nope: {type: https://example.com/nope, status: 400}}
                input: {from: '${ .order }'}
                timeout: short
                do:
                  - check:
                      if: .amount > 10
                      switch:
                        - big: {when: '${ .amount > 100 }', then: refuse}
                        - small: {then: continue}
                  - pay:
                      timeout: short
                      try:
                        - call:
                            call: http
                            with: {method: get, endpoint: '${ "http://127.0.0.1/" + .id }'}
                      catch: {retry: twice, when: '${ $error.status == 503 }'}
                  - each:
                      for: {in: .items}
                      while: length < 10
                      do: [{mark: {set: {seen: '${ $item }'}}}]
                  - refuse:
                      raise: {error: nope}
                """);
    }

    @Test
    void shouldRefuseAnEmitNoEventCouldCarryWithItsPointer() {
        assertThat(problems("""
                do:
                  - tell:
                      emit:
                        event:
                          with: {source: /s, Region: eu, runstreamtenant: other, nested: {a: 1}}
                """)).extracting(Problem::at, Problem::message).containsExactly(
                org.assertj.core.groups.Tuple.tuple("/do/0/tell/emit/event/with", "an emitted event needs a 'type'"),
                org.assertj.core.groups.Tuple.tuple("/do/0/tell/emit/event/with/Region", "'Region' is not a "
                        + "CloudEvents attribute name: at most 20 lower-case ASCII letters and digits"),
                org.assertj.core.groups.Tuple.tuple("/do/0/tell/emit/event/with/runstreamtenant",
                        "'runstreamtenant' is set by Runstream, not by the workflow"),
                org.assertj.core.groups.Tuple.tuple("/do/0/tell/emit/event/with/nested",
                        "an attribute is a string, a number or a boolean, not OBJECT"));
    }

    @Test
    void shouldRefuseAListenItCannotRunWithItsPointer() {
        assertThat(problems("""
                do:
                  - hear:
                      listen:
                        read: body
                        to:
                          all:
                            - with: {type: '[unclosed'}
                              correlate:
                                key: {expect: x}
                            - with: {}
                            - with: {data: '${ .a > }'}
                          until: '.x'
                      foreach:
                        do: {}
                  - hearNothing:
                      listen:
                        to: {}
                """)).extracting(Problem::at).containsExactly("/do/0/hear/foreach",
                "/do/0/hear/listen/read", "/do/0/hear/listen/to/all/0/with/type",
                "/do/0/hear/listen/to/all/0/correlate/key/from", "/do/0/hear/listen/to/all/1/with",
                "/do/0/hear/listen/to/all/2/with/data", "/do/1/hearNothing/listen/to");
    }

    @Test
    void shouldRefuseAnExpressionThatIsNotJqWithItsPointer() {
        assertThat(problems("""
                do:
                  - a:
                      if: .x >
                      set: {y: '${ .z | }'}
                """)).extracting(Problem::at).containsExactly("/do/0/a/if", "/do/0/a/set/y");
        assertThat(problems("do: [{a: {set: {y: '${ ][ }'}}}]").get(0).message())
                .startsWith("'][' is not a valid jq expression:");
    }

    @Test
    void shouldRefuseExpressionsDeepInsideLoopsTriesForksSwitchesAndTheWorkflow() {
        assertThat(problems("""
                input: {from: '${ . ) }'}
                do:
                  - loop:
                      for: {in: '.items['}
                      do: [{inner: {output: {as: '.a.'}, set: {}}}]
                  - guard:
                      try: [{t: {set: {a: 1}}}]
                      catch: {when: 'x ==', retry: {delay: {seconds: '${ ( }'}}}
                  - both:
                      fork: {branches: [{left: {set: {x: '${ {}[ }'}}}]}
                  - pick:
                      switch: [{one: {when: '. ==='}}]
                """)).extracting(Problem::at).containsExactly("/input/from", "/do/0/loop/for/in",
                "/do/0/loop/do/0/inner/output/as", "/do/1/guard/catch/when", "/do/1/guard/catch/retry/delay/seconds",
                "/do/2/both/fork/branches/0/left/set/x", "/do/3/pick/switch/0/one/when");
    }

    @Test
    void shouldRefuseReferencesToUseComponentsThatAreNotDefined() {
        List<Problem> found = problems("""
                use:
                  retries: {twice: {delay: {seconds: 1}}}
                timeout: missing
                do:
                  - a:
                      try: [{t: {set: {}}}]
                      catch: {retry: thrice}
                  - b:
                      raise: {error: unknownError}
                  - c:
                      call: http
                      with: {method: get, endpoint: {uri: 'http://127.0.0.1/', authentication: {use: vault}}}
                """);
        assertThat(found).extracting(Problem::at).containsExactly("/timeout", "/do/0/a/catch/retry",
                "/do/1/b/raise/error", "/do/2/c/with/endpoint/authentication/use");
        assertThat(found.get(1).message()).isEqualTo("'thrice' is not defined under use.retries (defined: twice)");
        assertThat(found.get(0).message()).contains("use.timeouts (none is defined)");
    }

    @Test
    void shouldRefuseAThenThatNamesNoTaskOfItsList() {
        List<Problem> found = problems("""
                do:
                  - a: {set: {}, then: c}
                  - b:
                      switch: [{x: {when: .y, then: nowhere}}, {d: {then: a}}]
                  - inner:
                      do: [{z: {set: {}, then: a}}]
                """);
        assertThat(found).extracting(Problem::at).containsExactly("/do/0/a/then", "/do/1/b/switch/0/x/then",
                "/do/2/inner/do/0/z/then");
        assertThat(found.get(0).message()).startsWith("'then: c' names no task in the same list (it has a, b, inner)");
    }

    @Test
    void shouldSayEveryMistakeInTheMessageWithItsPointer() {
        var refused = catchThrowableOfType(Definitions.InvalidDefinitionException.class,
                () -> Definitions.compile(HEAD + "do: [{a: {set: {}, then: b}}, {c: {if: '.x >'}}]"));
        assertThat(refused.getMessage()).startsWith("/do/0/a/then: 'then: b' names no task")
                .contains("; /do/1/c/if: '.x >' is not a valid jq expression");
    }

    @Test
    void shouldRefuseAScheduleThatCannotFireWithItsPointer() {
        assertThat(problems("""
                schedule: {cron: '0 25 * * *'}
                do: [{a: {set: {x: 1}}}]
                """)).singleElement().satisfies(p -> {
                    assertThat(p.at()).isEqualTo("/schedule/cron");
                    assertThat(p.message()).startsWith("'0 25 * * *' is not a cron expression of five fields");
                });
        assertThat(problems("schedule: {cron: 'CRON_TZ=Mars/Base 0 * * * *'}\ndo: [{a: {set: {x: 1}}}]").get(0)
                .message()).isEqualTo("'Mars/Base' is not a time zone (such as Europe/Paris)");
        assertThat(problems("schedule: {cron: '0 0 30 2 *'}\ndo: [{a: {set: {x: 1}}}]").get(0).message())
                .isEqualTo("'0 0 30 2 *' names no time that exists, so it would never fire");
        assertThat(problems("schedule: {every: PT0.5S}\ndo: [{a: {set: {x: 1}}}]").get(0).message())
                .isEqualTo("a schedule's duration is at least 1 second; 'PT0.5S' is shorter");
        assertThat(problems("schedule: {after: 'five minutes'}\ndo: [{a: {set: {x: 1}}}]").get(0).at())
                .isEqualTo("/schedule/after");
        assertThat(problems("schedule: {every: '${ .x }'}\ndo: [{a: {set: {x: 1}}}]").get(0).message())
                .isEqualTo("a schedule's duration is fixed, not a runtime expression");
        assertThat(problems("schedule: {every: PT1M, cron: '* * * * *'}\ndo: [{a: {set: {x: 1}}}]").get(0).at())
                .isEqualTo("/schedule");
        assertThat(problems("""
                schedule:
                  on:
                    any:
                      - with: {type: a}
                        correlate: {k: {from: .data.k}}
                      - with: {}
                    until: '${ true }'
                  read: body
                do: [{a: {set: {x: 1}}}]
                """)).extracting(Problem::at).containsExactly("/schedule/read", "/schedule/on/any/1/with",
                "/schedule/on/until", "/schedule/on/any/0/correlate");
        assertThat(problems("""
                schedule:
                  on:
                    all:
                      - with: {type: a}
                        correlate: {k: {from: .data.k, expect: x}}
                do: [{a: {set: {x: 1}}}]
                """)).extracting(Problem::at).containsExactly("/schedule/on/all/0/correlate/k/expect");
        Definitions.compile(HEAD + "schedule: {on: {one: {with: {type: x}}}, read: envelope}\ndo: [{a: {set: {x: 1}}}]");
        Definitions.compile(HEAD + "schedule: {every: {minutes: 5}}\ndo: [{a: {set: {x: 1}}}]");
        Definitions.compile(HEAD + "schedule: {cron: 'CRON_TZ=Europe/Paris 30 9 * * 1-5'}\ndo: [{a: {set: {x: 1}}}]");
        Definitions.compile(HEAD + "schedule: {after: PT10S}\ndo: [{a: {set: {x: 1}}}]");
    }

    @Test
    void shouldRefuseASubflowNamedByAnExpressionAndABadInputExpression() {
        assertThat(problems("""
                do:
                  - call:
                      run:
                        workflow:
                          namespace: t
                          name: '${ .which }'
                          version: latest
                          input: {n: '${ .n + }'}
                """)).extracting(Problem::at).containsExactly("/do/0/call/run/workflow/input/n",
                "/do/0/call/run/workflow/name");
    }
}
