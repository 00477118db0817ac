package io.runstream.bench;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Query latency with a large view: fills the projection's view with {@code --rows} executions of the tenant of the
 * dev stack's second key ({@code rs_dev_other_key}), kept across runs, then times list, filter, cursor and history
 * requests through the API. Options: --api URL --jdbc URL --rows N --requests N --concurrency N --api-key KEY.
 */
final class ViewBench {

    private static final String TENANT = "other";
    private static final Instant EPOCH = Instant.parse("2026-10-01T00:00:00Z");
    private static final long STEP_MILLIS = 250;
    private static final int CHUNK = 500_000;
    private static final Pattern NEXT = Pattern.compile("\"nextCursor\":\"([^\"]+)\"");

    private ViewBench() {
    }

    static void run(Map<String, String> opts) throws Exception {
        String api = opts.getOrDefault("api", "http://127.0.0.1:8080");
        String jdbc = opts.getOrDefault("jdbc", "jdbc:postgresql://127.0.0.1:15432/runstream");
        long rows = Long.parseLong(opts.getOrDefault("rows", "10000000"));
        int requests = Integer.parseInt(opts.getOrDefault("requests", "500"));
        int concurrency = Integer.parseInt(opts.getOrDefault("concurrency", "8"));
        String key = opts.getOrDefault("api-key", "rs_dev_other_key");

        try (Connection db = DriverManager.getConnection(jdbc, "postgres", "")) {
            fill(db, rows);
        }
        HttpLoad load = new HttpLoad(concurrency);
        Map<String, String> auth = Map.of("X-API-Key", key);
        System.out.printf("%nView bench: %d executions of tenant '%s' in the view, %d requests per query, %d in flight%n",
                rows, TENANT, requests, concurrency);
        System.out.println(Stats.header());
        List<Stats> results = new ArrayList<>();
        results.add(load.run("trivial HTTP endpoint (GET /actuator/info)", requests,
                n -> HttpLoad.Request.get(api + "/actuator/info"), HttpLoad.ResponseHook.NONE));
        results.add(query(load, "list newest 20", requests, auth, n -> api + "/v1/executions?limit=20"));
        results.add(query(load, "list by workflowId", requests, auth,
                n -> api + "/v1/executions?limit=20&workflowId=wf-" + random(100)));
        results.add(query(load, "list by status (FAILED,TIMED_OUT)", requests, auth,
                n -> api + "/v1/executions?limit=20&status=FAILED,TIMED_OUT"));
        results.add(query(load, "list by workflowId + status", requests, auth,
                n -> api + "/v1/executions?limit=20&status=FAILED&workflowId=wf-" + random(100)));
        results.add(query(load, "list by sourceSystem", requests, auth,
                n -> api + "/v1/executions?limit=20&sourceSystem=sys-" + random(10)));
        results.add(query(load, "list by externalRef (one match)", requests, auth,
                n -> api + "/v1/executions?externalRef=ref-" + random(rows)));
        results.add(query(load, "list by sourceEntityId", requests, auth,
                n -> api + "/v1/executions?sourceEntityId=ent-" + random(100_000)));
        results.add(query(load, "list by finishedAt, oldest first", requests, auth,
                n -> api + "/v1/executions?limit=20&orderBy=finishedAt&order=asc"));
        results.add(query(load, "list in a random 1-hour window", requests, auth, n -> {
            Instant from = EPOCH.plusMillis(random(rows) * STEP_MILLIS);
            return api + "/v1/executions?limit=20&startedFrom=" + from + "&startedTo=" + from.plusSeconds(3600);
        }));
        results.add(deepPages(load, api, auth, Math.min(requests, 200)));
        results.add(query(load, "GET one execution", requests, auth,
                n -> api + "/v1/executions/" + id(random(rows))));
        results.add(query(load, "history of one execution", requests, auth,
                n -> api + "/v1/executions/" + id(random(rows / 10) * 10) + "/history"));
        results.forEach(stats -> System.out.println(stats.row()));
    }

    private static Stats query(HttpLoad load, String name, int requests, Map<String, String> auth,
            java.util.function.IntFunction<String> url) {
        return load.run(name, requests, n -> new HttpLoad.Request(io.netty.handler.codec.http.HttpMethod.GET,
                url.apply(n), auth, null), HttpLoad.ResponseHook.NONE);
    }

    /** Follows nextCursor page after page through one workflow's executions, one page at a time. */
    private static Stats deepPages(HttpLoad load, String api, Map<String, String> auth, int pages) {
        HttpLoad sequential = new HttpLoad(1);
        long[] latencies = new long[pages];
        int errors = 0;
        String cursor = null;
        long start = System.nanoTime();
        for (int i = 0; i < pages; i++) {
            String url = api + "/v1/executions?limit=100&workflowId=wf-7" + (cursor == null ? "" : "&cursor=" + cursor);
            String[] body = new String[1];
            Stats one = sequential.run("page", 1, n -> new HttpLoad.Request(io.netty.handler.codec.http.HttpMethod.GET,
                    url, auth, null), (n, sent, text) -> body[0] = text);
            latencies[i] = one.latenciesMicros()[0];
            errors += one.errors();
            Matcher next = body[0] == null ? null : NEXT.matcher(body[0]);
            cursor = next != null && next.find() ? next.group(1) : null;
            if (cursor == null) {
                break;
            }
        }
        return new Stats("cursor pages 1.." + pages + " (100 each, wf-7)", pages, errors,
                (System.nanoTime() - start) / 1e9, latencies);
    }

    /** Inserts what is missing of the bench tenant's rows, in chunks, then analyzes; already-present rows stay. */
    private static void fill(Connection db, long rows) throws SQLException {
        db.setAutoCommit(true);
        long present;
        try (Statement s = db.createStatement();
                ResultSet rs = s.executeQuery("SELECT count(*) FROM projection.executions WHERE tenant = '"
                        + TENANT + "' AND workflow_id LIKE 'wf-%'")) {
            rs.next();
            present = rs.getLong(1);
        }
        if (present >= rows) {
            System.out.printf("The view already holds %d bench executions%n", present);
            return;
        }
        long started = System.nanoTime();
        for (long from = present; from < rows; from += CHUNK) {
            long to = Math.min(rows, from + CHUNK) - 1;
            try (Statement s = db.createStatement()) {
                s.execute(insertExecutions(from, to));
                s.execute(insertHistory(from, to));
            }
            System.out.printf("  %,d of %,d executions in the view (%.0f s)%n", to + 1, rows,
                    (System.nanoTime() - started) / 1e9);
        }
        try (Statement s = db.createStatement()) {
            s.execute("ANALYZE projection.executions");
            s.execute("ANALYZE projection.execution_history");
            s.execute("ANALYZE projection.execution_task_steps");
        }
    }

    private static String insertExecutions(long from, long to) {
        return """
                INSERT INTO projection.executions (execution_id, tenant, workflow_id, status, sequence, attempt,
                    input_json, error_code, error_message, metadata, started_at, finished_at, updated_at)
                SELECT md5('runstream-view-bench-' || i)::uuid, '%s', 'wf-' || (i %% 100),
                       (ARRAY['SUCCEEDED','SUCCEEDED','SUCCEEDED','FAILED','RUNNING','QUEUED','CANCELLED',
                              'TIMED_OUT'])[1 + (i %% 8)::int],
                       3, 1, '{"orderId": 1}',
                       CASE WHEN i %% 8 = 3 THEN 'WORKFLOW_ERROR' END, CASE WHEN i %% 8 = 3 THEN 'failed' END,
                       jsonb_build_object('sourceSystem', 'sys-' || (i %% 10), 'externalRef', 'ref-' || i,
                                          'sourceEntityId', 'ent-' || (i %% 100000)),
                       ts, CASE WHEN i %% 8 IN (4, 5) THEN NULL ELSE ts + interval '2 seconds' END, ts
                FROM (SELECT i, timestamptz '%s' + i * interval '%d milliseconds' AS ts
                      FROM generate_series(%d::bigint, %d::bigint) i) g
                ON CONFLICT DO NOTHING""".formatted(TENANT, EPOCH, STEP_MILLIS, from, to);
    }

    /** Every tenth execution gets a history: three status changes and two task steps. */
    private static String insertHistory(long from, long to) {
        return """
                WITH e AS (SELECT md5('runstream-view-bench-' || i)::uuid AS id,
                                  timestamptz '%s' + i * interval '%d milliseconds' AS ts
                           FROM generate_series(%d::bigint, %d::bigint) i WHERE i %% 10 = 0),
                s AS (INSERT INTO projection.execution_history
                          (execution_id, sequence, status, attempt, occurred_at)
                      SELECT id, n, (ARRAY['QUEUED','RUNNING','SUCCEEDED'])[n], 1, ts + n * interval '10 ms'
                      FROM e, generate_series(1, 3) n ON CONFLICT DO NOTHING)
                INSERT INTO projection.execution_task_steps (execution_id, tenant, attempt, position, started_at,
                    name, task_type, status, task_attempts, ended_at)
                SELECT id, '%s', 1, '/do/' || n || '/step' || n, ts + n * interval '100 ms', 'step' || n, 'set',
                       'COMPLETED', 1, ts + n * interval '100 ms' + interval '5 ms'
                FROM e, generate_series(0, 1) n ON CONFLICT DO NOTHING""".formatted(EPOCH, STEP_MILLIS, from, to,
                TENANT);
    }

    private static String id(long i) {
        String hex = md5("runstream-view-bench-" + i);
        return hex.substring(0, 8) + "-" + hex.substring(8, 12) + "-" + hex.substring(12, 16) + "-"
                + hex.substring(16, 20) + "-" + hex.substring(20);
    }

    private static String md5(String text) {
        try {
            byte[] digest = java.security.MessageDigest.getInstance("MD5")
                    .digest(text.getBytes(java.nio.charset.StandardCharsets.UTF_8));
            return java.util.HexFormat.of().formatHex(digest);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static long random(long bound) {
        return ThreadLocalRandom.current().nextLong(bound);
    }
}
