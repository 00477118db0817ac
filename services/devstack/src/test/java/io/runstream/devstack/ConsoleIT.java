package io.runstream.devstack;

import static org.assertj.core.api.Assertions.assertThat;

import io.runstream.testkit.HttpStub;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;

/**
 * The web console in a real headless Chromium (Debian's chromium and chromedriver, which the README's test command
 * installs) against the dev stack: what a user does with it, clicked through. Each test leaves a screenshot in
 * {@code target/console-screenshots}.
 */
class ConsoleIT {

    private static final TestStack stack = TestStack.shared();
    private static final Path SCREENSHOTS = Path.of("target", "console-screenshots");
    private static final Duration PATIENCE = Duration.ofSeconds(30);

    private static ChromeDriver browser;
    private static WebDriverWait waiting;
    private static WebTestClient api;
    private static final HttpStub stub = new HttpStub();

    @BeforeAll
    static void openBrowser() throws IOException {
        Path chromium = Path.of(System.getProperty("chromium.binary", "/usr/bin/chromium"));
        Path driver = Path.of(System.getProperty("chromedriver", "/usr/bin/chromedriver"));
        assertThat(Files.isExecutable(chromium) && Files.isExecutable(driver))
                .as("the browser tests need %s and %s: install Debian's chromium and chromium-driver, as the README's"
                        + " test command does", chromium, driver)
                .isTrue();
        Files.createDirectories(SCREENSHOTS);
        ChromeOptions options = new ChromeOptions().setBinary(chromium.toFile())
                .addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                        "--disable-component-update", "--no-first-run", "--disable-dev-shm-usage",
                        "--window-size=1360,1000",
                        "--user-data-dir=" + Files.createTempDirectory("console-chromium"));
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(driver.toFile())
                .usingAnyFreePort().build();
        browser = new ChromeDriver(service, options);
        waiting = new WebDriverWait(browser, PATIENCE, Duration.ofMillis(100));
        // the list is drawn again every 2 s: an element found just before that is gone, so look again
        waiting.ignoring(org.openqa.selenium.StaleElementReferenceException.class);
        api = stack.client();
    }

    @AfterAll
    static void closeBrowser() {
        if (browser != null) {
            browser.quit();
        }
        stub.close();
    }

    @AfterEach
    void screenshot(TestInfo test) throws IOException {
        shoot(test.getTestMethod().orElseThrow().getName());
    }

    @Test
    void shouldStartFromTheFormAndSeeItSucceedLiveWithoutAReloadThenOpenItsTimeline() throws IOException {
        String workflow = "console-" + UUID.randomUUID().toString().substring(0, 8);
        define(workflow, """
                document: {dsl: '1.0.0', namespace: console, name: greet, version: '0.1.0'}
                do:
                  - pause:
                      wait: PT4S
                  - greet:
                      set:
                        greeting: ${ "hello, " + .name }
                """);
        signIn(TestStack.KEY);
        js("window.consoleLoaded = 'once'");

        click(By.cssSelector("[data-nav=workflows]"));
        click(By.cssSelector("tr[data-workflow='" + workflow + "'] a"));
        WebElement input = waiting.until(ExpectedConditions.visibilityOfElementLocated(By.id("start-input")));
        input.clear();
        input.sendKeys("{\"name\": \"console\"}");
        click(By.id("start"));
        String id = waiting.until(ExpectedConditions.visibilityOfElementLocated(By.id("started-execution"))).getText();
        assertThat(UUID.fromString(id)).isNotNull();

        click(By.cssSelector("[data-nav=executions]"));
        By status = By.cssSelector("tr[data-execution='" + id + "'] [data-status]");
        List<String> seen = new ArrayList<>();
        waiting.until(d -> {
            var found = d.findElements(status);
            if (!found.isEmpty()) {
                String now = found.get(0).getAttribute("data-status");
                if (seen.isEmpty() || !seen.get(seen.size() - 1).equals(now)) {
                    seen.add(now);
                }
            }
            return seen.contains("SUCCEEDED");
        });
        assertThat(seen).as("the row's status as the list showed it, in order").endsWith("SUCCEEDED")
                .hasSizeGreaterThan(1);
        assertThat(js("return window.consoleLoaded")).as("the page was never reloaded").isEqualTo("once");
        shoot("executions-list");

        click(By.cssSelector("tr[data-execution='" + id + "'] a.mono"));
        awaitEach(By.cssSelector("#timeline .step"),
                step -> step.getAttribute("data-task") + " " + step.getAttribute("data-task-status"),
                "pause COMPLETED", "greet COMPLETED");
        double waitBar = Double.parseDouble(browser.findElement(By.cssSelector("[data-task=pause] .bar"))
                .getAttribute("data-width"));
        assertThat(waitBar).as("the 4 s wait is most of the timeline").isGreaterThan(0.8);
        assertThat(browser.findElement(By.cssSelector("[data-task=pause] .bar")).getSize().getWidth())
                .as("and is drawn so").isGreaterThan(browser.findElement(By.cssSelector("[data-task=pause] .track"))
                        .getSize().getWidth() * 8 / 10);
        assertThat(text(By.cssSelector("#status [data-status]"))).isEqualTo("SUCCEEDED");
        assertThat(text(By.id("output"))).contains("\"greeting\": \"hello, console\"");
        assertThat(text(By.id("input"))).contains("\"name\": \"console\"");
        assertThat(browser.findElements(By.cssSelector("#commands button"))).as("no command applies").isEmpty();
        shoot("execution-timeline");
        assertThat(js("return window.consoleLoaded")).isEqualTo("once");
    }

    @Test
    void shouldLinkASubflowToTheExecutionThatStartedItAndListAParentsSubflows() throws IOException {
        String suffix = UUID.randomUUID().toString().substring(0, 8);
        define("console-child-" + suffix, """
                document: {dsl: '1.0.0', namespace: console-%s, name: child, version: '1.0.0'}
                do:
                  - greet: {set: '${ {greeting: ("hi " + .name)} }'}
                """.formatted(suffix));
        String parentWorkflow = "console-parent-" + suffix;
        define(parentWorkflow, """
                document: {dsl: '1.0.0', namespace: console, name: parent, version: '0.1.0'}
                do:
                  - ask:
                      run:
                        workflow: {namespace: console-%s, name: child, version: latest, input: {name: sub}}
                """.formatted(suffix));
        String parent = start(parentWorkflow);
        api.get().uri("/v1/executions/{id}?waitForTerminalSeconds=30", parent).exchange().expectBody()
                .jsonPath("$.status").isEqualTo("SUCCEEDED");
        signIn(TestStack.KEY);

        js("location.hash = '#/executions/" + parent + "'");
        By child = By.cssSelector("#subflows tr[data-child] a");
        waiting.until(ExpectedConditions.visibilityOfElementLocated(child));
        // read again, not from the element the wait found: the page redraws the list as the execution's events come
        String childId = text(child);
        assertThat(text(By.cssSelector("#subflows tr[data-child]"))).contains("console-child-" + suffix, "SUCCEEDED");
        assertThat(text(By.cssSelector("[data-task=ask] [data-subflow]")))
                .as("the step names the child it started").isEqualTo(childId);
        shoot("execution-subflows");

        click(child);
        waiting.until(ExpectedConditions.textToBePresentInElementLocated(By.id("output"), "hi sub"));
        assertThat(text(By.id("parent"))).isEqualTo(parent);
        waiting.until(ExpectedConditions.textToBePresentInElementLocated(By.id("subflows"), "It started no subflow."));
        click(By.id("parent"));
        waiting.until(ExpectedConditions.visibilityOfElementLocated(child));
        assertThat(browser.getCurrentUrl()).endsWith("#/executions/" + parent);
    }

    @Test
    void shouldPauseResumeAndStopAWaitingExecutionFromItsPage() {
        String workflow = "console-parked-" + UUID.randomUUID().toString().substring(0, 8);
        define(workflow, """
                document: {dsl: '1.0.0', namespace: console, name: parked, version: '0.1.0'}
                do:
                  - park:
                      wait: PT1H
                """);
        String id = start(workflow);
        signIn(TestStack.KEY);

        js("location.hash = '#/executions/" + id + "'");
        waiting.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("#status [data-phase=WAITING]")));
        assertThat(commands()).containsExactly("stop", "pause");
        click(By.cssSelector("#commands [data-command=pause]"));
        waiting.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("#status [data-phase=SUSPENDED]")));
        waiting.until(d -> commands().equals(List.of("stop", "resume")));
        click(By.cssSelector("#commands [data-command=resume]"));
        waiting.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("#status [data-phase=WAITING]")));
        waiting.until(d -> commands().equals(List.of("stop", "pause")));
        assertThat(text(By.id("command-outcome"))).isEqualTo("resume: accepted");
        click(By.cssSelector("#commands [data-command=stop]"));

        waiting.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("#status [data-status=CANCELLED]")));
        assertThat(text(By.id("command-outcome"))).isEqualTo("stop: accepted");
        waiting.until(d -> commands().isEmpty());
        assertThat(text(By.id("error"))).contains("from the console");
        api.get().uri("/v1/executions/{id}", id).exchange().expectBody().jsonPath("$.status").isEqualTo("CANCELLED");
    }

    @Test
    void shouldSayWhatAListeningExecutionWaitsForUntilItsEventComesThenNameTheEventItConsumed() throws IOException {
        String workflow = "console-listen-" + UUID.randomUUID().toString().substring(0, 8);
        define(workflow, """
                document: {dsl: '1.0.0', namespace: console, name: listen, version: '0.1.0'}
                do:
                  - paid:
                      listen:
                        to:
                          one:
                            with: {type: order.paid}
                            correlate:
                              order: {from: .data.order, expect: '${ .order }'}
                """);
        String id = start(workflow, "{\"order\": 7}");
        signIn(TestStack.KEY);

        js("location.hash = '#/executions/" + id + "'");
        waiting.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("#status [data-phase=WAITING]")));
        By listen = By.cssSelector("#waiting-for [data-listen='/do/0/paid']");
        waiting.until(ExpectedConditions.textToBePresentInElementLocated(listen, "event order.paid where order = 7"));
        assertThat(text(listen)).matches("event order\\.paid where order = 7 \\(since .+\\)");
        shoot("execution-waiting-for");

        String eventId = "pay-" + UUID.randomUUID();
        api.post().uri("/v1/events").contentType(MediaType.parseMediaType("application/cloudevents+json"))
                .bodyValue("{\"specversion\":\"1.0\",\"id\":\"" + eventId + "\",\"source\":\"https://payments.example\","
                        + "\"type\":\"order.paid\",\"datacontenttype\":\"application/json\",\"data\":{\"order\":7}}")
                .exchange().expectStatus().isAccepted();
        waiting.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("#status [data-status=SUCCEEDED]")));
        assertThat(browser.findElements(By.id("waiting-for"))).as("it waits for nothing any more").isEmpty();
        By consumed = By.cssSelector("#timeline [data-task=paid] [data-event=CONSUMED]");
        waiting.until(ExpectedConditions.presenceOfElementLocated(consumed));
        assertThat(text(consumed)).as("its step names the event it consumed")
                .isEqualTo("consumed order.paid from https://payments.example (id " + eventId + ")");
    }

    @Test
    void shouldRedriveAFailedCallFromItsPage() {
        String workflow = "console-flaky-" + UUID.randomUUID().toString().substring(0, 8);
        define(workflow, """
                document: {dsl: '1.0.0', namespace: console, name: flaky, version: '0.1.0'}
                do:
                  - reserve:
                      call: http
                      with:
                        method: post
                        endpoint: %s/flaky/%s?failures=1
                        body: {}
                """.formatted(stub.baseUrl(), workflow));
        String id = start(workflow);
        signIn(TestStack.KEY);

        js("location.hash = '#/executions/" + id + "'");
        waiting.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("#status [data-status=FAILED]")));
        assertThat(text(By.id("error"))).contains("503");
        assertThat(commands()).containsExactly("redrive");
        waiting.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("[data-task=reserve][data-task-status=FAULTED]")));
        click(By.cssSelector("#commands [data-command=redrive]"));

        waiting.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("#status [data-status=SUCCEEDED]")));
        assertThat(text(By.id("command-outcome"))).isEqualTo("redrive: accepted");
        assertThat(text(By.id("output"))).contains("\"calls\": 2");
        awaitEach(By.cssSelector("#timeline .step"), step -> step.getAttribute("data-task-status"),
                "FAULTED", "COMPLETED");
        assertThat(stub.calls("/flaky/" + workflow)).isEqualTo(2);
    }

    @Test
    void shouldShowAnotherTenantNoneOfIt() {
        String workflow = "console-private-" + UUID.randomUUID().toString().substring(0, 8);
        define(workflow, """
                document: {dsl: '1.0.0', namespace: console, name: private, version: '0.1.0'}
                do:
                  - park:
                      wait: PT1H
                """);
        String id = start(workflow);
        signIn(TestStack.KEY);
        waiting.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("tr[data-execution='" + id + "']")));

        signIn(TestStack.OTHER_TENANT_KEY);
        waiting.until(ExpectedConditions.textToBePresentInElementLocated(By.id("live"), "live ·"));
        assertThat(browser.findElements(By.cssSelector("tr[data-execution='" + id + "']"))).isEmpty();
        assertThat(text(By.id("executions"))).doesNotContain(id, workflow);

        js("location.hash = '#/executions/" + id + "'");
        waiting.until(ExpectedConditions.textToBe(By.tagName("h1"), "Execution not found"));
        assertThat(text(By.cssSelector("[role=alert]"))).contains("No execution " + id);

        js("location.hash = '#/workflows'");
        waiting.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("#workflows tr")));
        assertThat(browser.findElements(By.cssSelector("tr[data-workflow='" + workflow + "']"))).isEmpty();
        js("location.hash = '#/workflows/" + workflow + "'");
        waiting.until(ExpectedConditions.textToBe(By.tagName("h1"), "Workflow not found"));
    }

    @Test
    void shouldShowEachVersionAndDeactivateAndRefuseInputThatIsNotAnObject() {
        String workflow = "console-versions-" + UUID.randomUUID().toString().substring(0, 8);
        String first = "document: {dsl: '1.0.0', namespace: console, name: v, version: '0.1.0'}\n"
                + "do: [{first: {set: {v: 1}}}]\n";
        define(workflow, first);
        api.put().uri("/v1/workflows/{id}", workflow).contentType(MediaType.parseMediaType("application/yaml"))
                .bodyValue(first.replace("v: 1", "v: 2")).exchange().expectStatus().isOk();
        signIn(TestStack.KEY);

        js("location.hash = '#/workflows/" + workflow + "'");
        waiting.until(ExpectedConditions.textToBePresentInElementLocated(By.id("definition"), "v: 2"));
        assertThat(browser.findElements(By.cssSelector("#versions [data-version]")).stream().map(WebElement::getText))
                .containsExactly("v2", "v1");
        click(By.cssSelector("#versions [data-version='1']"));
        waiting.until(ExpectedConditions.textToBePresentInElementLocated(By.id("definition"), "v: 1"));

        WebElement input = browser.findElement(By.id("start-input"));
        input.clear();
        input.sendKeys("[1, 2]");
        click(By.id("start"));
        waiting.until(ExpectedConditions.textToBe(By.cssSelector("#start-outcome [role=alert]"),
                "The input must be a JSON object, such as {\"x\": 1}."));
        input.clear();
        input.sendKeys("{\"x\": ");
        click(By.id("start"));
        waiting.until(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector("#start-outcome [role=alert]"),
                "The input is not JSON"));

        click(By.id("deactivate"));
        waiting.until(ExpectedConditions.textToBePresentInElementLocated(By.id("workflow-state"), "inactive"));
        input = browser.findElement(By.id("start-input"));
        input.clear();
        input.sendKeys("{}");
        click(By.id("start"));
        waiting.until(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector("#start-outcome [role=alert]"),
                "WORKFLOW_INACTIVE"));
        click(By.id("activate"));
        waiting.until(ExpectedConditions.textToBe(By.id("workflow-state"), "active"));
        click(By.id("start"));
        waiting.until(ExpectedConditions.visibilityOfElementLocated(By.id("started-execution")));
    }

    @Test
    void shouldShowAScheduledWorkflowsScheduleAndNextFireInTheListAndOnItsPageUntilDeactivated() throws IOException {
        String workflow = "console-hourly-" + UUID.randomUUID().toString().substring(0, 8);
        define(workflow, """
                document: {dsl: '1.0.0', namespace: console, name: hourly, version: '0.1.0'}
                schedule: {every: PT1H}
                do:
                  - tick:
                      set: {ticked: true}
                """);
        signIn(TestStack.KEY);

        click(By.cssSelector("[data-nav=workflows]"));
        By row = By.cssSelector("tr[data-workflow='" + workflow + "']");
        pageTo(row);
        assertThat(text(By.cssSelector("tr[data-workflow='" + workflow + "'] [data-schedule=every] .mono")))
                .isEqualTo("every PT1H");
        String listed = browser.findElement(By.cssSelector("tr[data-workflow='" + workflow + "'] [data-next-fire]"))
                .getAttribute("data-next-fire");
        assertThat(listed).isIn(nextFires(workflow));
        assertThat(text(By.cssSelector("tr[data-workflow='" + workflow + "'] [data-next-fire]")))
                .isEqualTo("next: " + shownTime(listed));
        shoot("workflows-schedule");

        click(By.cssSelector("tr[data-workflow='" + workflow + "'] a"));
        waiting.until(ExpectedConditions.visibilityOfElementLocated(By.id("workflow-next-fire")));
        assertThat(text(By.id("workflow-schedule"))).isEqualTo("every PT1H");
        String next = browser.findElement(By.id("workflow-next-fire")).getAttribute("data-at");
        assertThat(Instant.parse(next)).as("the next whole hour")
                .isEqualTo(Instant.parse(next).truncatedTo(ChronoUnit.HOURS)).isAfter(Instant.now().minusSeconds(5));
        assertThat(next).isIn(nextFires(workflow));
        assertThat(text(By.id("workflow-next-fire"))).isEqualTo(shownTime(next)).matches(".*\\d\\d:00:00.*");
        shoot("workflow-schedule");

        click(By.id("deactivate"));
        waiting.until(ExpectedConditions.textToBe(By.id("workflow-next-fire"), "deactivated"));
        assertThat(text(By.id("workflow-schedule"))).isEqualTo("every PT1H");
    }

    @Test
    void shouldAddReplaceAndDeleteASecretWithoutEverShowingItsValue() throws IOException {
        String name = "console-secret-" + UUID.randomUUID().toString().substring(0, 8);
        String token = "tok-" + UUID.randomUUID();
        String password = "pw-" + UUID.randomUUID();
        signIn(TestStack.KEY);
        click(By.cssSelector("[data-nav=secrets]"));
        waiting.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("#secrets tr")));
        // what the console sends, so that the test can tell a string from a JSON value (nothing returns one)
        js("window.sentBodies = []; const send = window.fetch;"
                + " window.fetch = (path, init) => { if (init && init.body) window.sentBodies.push(init.body);"
                + " return send(path, init); }");

        WebElement nameField = browser.findElement(By.id("secret-name"));
        WebElement valueField = browser.findElement(By.id("secret-value"));
        nameField.sendKeys("-" + name);
        valueField.sendKeys(token);
        click(By.id("save-secret"));
        waiting.until(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector("#secret-outcome [role=alert]"),
                "INVALID_SECRET_NAME"));
        assertThat(valueField.getAttribute("value")).as("kept, to save once the name is right").isEqualTo(token);
        nameField.clear();
        nameField.sendKeys(name);
        click(By.id("save-secret"));
        waiting.until(ExpectedConditions.textToBe(By.cssSelector("#secret-outcome [role=status]"),
                "Added " + name + " (text)."));
        By row = By.cssSelector("tr[data-secret='" + name + "']");
        waiting.until(ExpectedConditions.presenceOfElementLocated(row));
        assertThat(valueField.getAttribute("value")).as("cleared once saved").isEmpty();
        String created = browser.findElement(By.cssSelector("tr[data-secret='" + name + "'] [data-created]"))
                .getAttribute("data-created");
        assertThat(browser.findElement(By.cssSelector("tr[data-secret='" + name + "'] [data-updated]"))
                .getAttribute("data-updated")).isEqualTo(created);
        assertThat(text(By.cssSelector("tr[data-secret='" + name + "'] [data-created]"))).isEqualTo(shownTime(created));
        assertNowhereOnThePage(token);

        click(By.cssSelector("tr[data-secret='" + name + "'] [data-replace]"));
        assertThat(nameField.getAttribute("value")).isEqualTo(name);
        valueField.sendKeys("{\"username\": \"u\", \"password\": \"" + password + "\"}");
        click(By.id("save-secret"));
        waiting.until(ExpectedConditions.textToBe(By.cssSelector("#secret-outcome [role=status]"),
                "Replaced the value of " + name + " (a JSON object)."));
        waiting.until(d -> Instant.parse(d.findElement(By.cssSelector("tr[data-secret='" + name + "'] [data-updated]"))
                .getAttribute("data-updated")).isAfter(Instant.parse(created)));
        assertThat(browser.findElement(By.cssSelector("tr[data-secret='" + name + "'] [data-created]"))
                .getAttribute("data-created")).isEqualTo(created);
        assertThat(valueField.getAttribute("value")).isEmpty();
        assertNowhereOnThePage(token);
        assertNowhereOnThePage(password);
        assertThat(js("return window.sentBodies")).as("text as a string, JSON as JSON").isEqualTo(List.of(
                "{\"value\":\"" + token + "\"}", "{\"value\":\"" + token + "\"}",
                "{\"value\":{\"username\":\"u\",\"password\":\"" + password + "\"}}"));
        shoot("secrets");

        click(By.cssSelector("tr[data-secret='" + name + "'] [data-delete]"));
        click(By.cssSelector("tr[data-secret='" + name + "'] [data-cancel-delete]"));
        waiting.until(ExpectedConditions.presenceOfElementLocated(
                By.cssSelector("tr[data-secret='" + name + "'] [data-delete]")));
        click(By.cssSelector("tr[data-secret='" + name + "'] [data-delete]"));
        assertThat(text(By.cssSelector("tr[data-secret='" + name + "'] .confirm"))).isEqualTo("Delete " + name
                + "? This cannot be undone.");
        click(By.cssSelector("tr[data-secret='" + name + "'] [data-confirm-delete]"));
        waiting.until(ExpectedConditions.textToBe(By.cssSelector("#secret-outcome [role=status]"),
                "Deleted " + name + "."));
        waiting.until(ExpectedConditions.numberOfElementsToBe(row, 0));
        api.get().uri("/v1/secrets").exchange().expectStatus().isOk().expectBody(String.class)
                .value(list -> assertThat(list).doesNotContain(name));
    }

    @Test
    void shouldShowAnotherTenantNoneOfItsSecrets() {
        String name = "console-private-secret-" + UUID.randomUUID().toString().substring(0, 8);
        api.put().uri("/v1/secrets/{name}", name).contentType(MediaType.APPLICATION_JSON)
                .bodyValue("{\"value\":\"mine\"}").exchange().expectStatus().isCreated();
        signIn(TestStack.KEY);
        js("location.hash = '#/secrets'");
        waiting.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("tr[data-secret='" + name + "']")));

        signIn(TestStack.OTHER_TENANT_KEY);
        js("location.hash = '#/secrets'");
        waiting.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("#secrets tr")));
        assertThat(text(By.id("secrets"))).doesNotContain(name);
        api.delete().uri("/v1/secrets/{name}", name).exchange().expectStatus().isNoContent();
    }

    @Test
    void shouldRefuseAWrongKeyAndAskForOneAfterSigningOut() {
        signIn(TestStack.KEY);
        click(By.id("sign-out"));
        waiting.until(ExpectedConditions.visibilityOfElementLocated(By.id("api-key"))).sendKeys("rs_not_a_key");
        click(By.id("sign-in"));
        waiting.until(ExpectedConditions.textToBe(By.cssSelector("[role=alert]"), "That API key was refused."));
        assertThat(browser.findElement(By.id("nav")).isDisplayed()).isFalse();
        assertThat(js("return sessionStorage.length")).isEqualTo(0L);
    }

    /** The value is nowhere in the page: not in its markup, not in a field, not in the tab's storage. */
    private static void assertNowhereOnThePage(String value) {
        assertThat(browser.getPageSource()).doesNotContain(value);
        assertThat(js("return [...document.querySelectorAll('input, textarea')].map((e) => e.value).join('\\n')"
                + " + JSON.stringify(sessionStorage) + JSON.stringify(localStorage)")).asString().doesNotContain(value);
    }

    /** Pages through the workflow list until the row is on screen. */
    private static void pageTo(By row) {
        waiting.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("#workflows tr")));
        while (browser.findElements(row).isEmpty()) {
            WebElement first = browser.findElement(By.cssSelector("#workflows tr"));
            assertThat(browser.findElement(By.id("workflows-next")).isEnabled()).as("the list has %s", row).isTrue();
            click(By.id("workflows-next"));
            waiting.until(ExpectedConditions.stalenessOf(first));
        }
    }

    /** The next fire the API gives now, and the one after it (should a slot pass while the test looks). */
    private static List<String> nextFires(String workflow) {
        Map<?, ?> schedule = (Map<?, ?>) api.get().uri("/v1/workflows/{id}", workflow).exchange().expectStatus()
                .isOk().expectBody(Map.class).returnResult().getResponseBody().get("schedule");
        Instant next = Instant.parse((String) schedule.get("nextFireAt"));
        return List.of(next.minus(Duration.ofHours(1)).toString(), next.toString());
    }

    /** A time as the console shows it, in the browser's locale. */
    private static String shownTime(String iso) {
        return (String) browser.executeScript(
                "return new Date(arguments[0]).toLocaleString(undefined, { hour12: false })", iso);
    }

    /** Opens the console afresh and signs in with the key, as a user would. */
    private static void signIn(String key) {
        browser.get(stack.baseUrl + "/console");
        js("sessionStorage.clear()");
        browser.navigate().refresh();
        waiting.until(ExpectedConditions.visibilityOfElementLocated(By.id("api-key"))).sendKeys(key);
        click(By.id("sign-in"));
        waiting.until(ExpectedConditions.visibilityOfElementLocated(By.id("executions")));
    }

    private static List<String> commands() {
        return readEach(By.cssSelector("#commands button"), b -> b.getAttribute("data-command"));
    }

    /**
     * What each element shows, read again if the page redrew them meanwhile (the timeline and the commands follow
     * the execution's event stream, so an element found a moment ago can be gone).
     */
    private static List<String> readEach(By target, java.util.function.Function<WebElement, String> read) {
        for (int attempt = 1; ; attempt++) {
            try {
                return browser.findElements(target).stream().map(read).toList();
            } catch (org.openqa.selenium.StaleElementReferenceException redrawn) {
                if (attempt == 10) {
                    throw redrawn;
                }
            }
        }
    }

    /** The text of one element, read again if the page redrew it meanwhile. */
    private static String text(By target) {
        return readEach(target, WebElement::getText).stream().findFirst()
                .orElseThrow(() -> new org.openqa.selenium.NoSuchElementException("No element " + target));
    }

    /** Waits until the elements show {@code expected}, in order; fails with what they show if they never do. */
    private static void awaitEach(By target, java.util.function.Function<WebElement, String> read,
            String... expected) {
        try {
            waiting.until(d -> readEach(target, read).equals(List.of(expected)));
        } catch (org.openqa.selenium.TimeoutException e) {
            assertThat(readEach(target, read)).containsExactly(expected);
        }
    }

    /** Clicks inside the wait: a list drawn again between finding the element and clicking it is looked at again. */
    private static void click(By target) {
        waiting.until(d -> {
            WebElement element = ExpectedConditions.elementToBeClickable(target).apply(d);
            if (element == null) {
                return false;
            }
            element.click();
            return true;
        });
    }

    private static Object js(String script) {
        return ((JavascriptExecutor) browser).executeScript(script);
    }

    private static void shoot(String name) throws IOException {
        Path taken = browser.getScreenshotAs(OutputType.FILE).toPath();
        Files.copy(taken, SCREENSHOTS.resolve(name + ".png"), StandardCopyOption.REPLACE_EXISTING);
    }

    private static void define(String workflow, String yaml) {
        api.put().uri("/v1/workflows/{id}", workflow).contentType(MediaType.parseMediaType("application/yaml"))
                .bodyValue(yaml).exchange().expectStatus().isCreated();
    }

    private static String start(String workflow) {
        return start(workflow, "{}");
    }

    private static String start(String workflow, String input) {
        Map<?, ?> created = api.post().uri("/v1/workflows/{id}/executions", workflow)
                .header("Idempotency-Key", UUID.randomUUID().toString()).contentType(MediaType.APPLICATION_JSON)
                .bodyValue("{\"inputData\":" + input + "}").exchange().expectStatus().isCreated()
                .expectBody(Map.class).returnResult().getResponseBody();
        return (String) created.get("executionId");
    }
}
