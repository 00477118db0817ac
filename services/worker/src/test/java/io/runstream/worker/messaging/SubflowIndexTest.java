package io.runstream.worker.messaging;

import static org.assertj.core.api.Assertions.assertThat;

import io.runstream.engine.Subflows;
import io.runstream.schemas.DefinitionFormat;
import io.runstream.schemas.WorkflowDefinition;
import java.time.Instant;
import java.util.Iterator;
import java.util.Map;
import java.util.TreeMap;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.junit.jupiter.api.Test;

/**
 * The index subflows are found by, over a catalog store it did not see filled (a restart restores the store from its
 * checkpoint without replaying it) and one it lags behind.
 */
class SubflowIndexTest {

    private final TreeMap<String, WorkflowDefinition> store = new TreeMap<>();
    private final ReadOnlyKeyValueStore<String, WorkflowDefinition> catalog = new MapStore(store);
    private final SubflowIndex index = new SubflowIndex();

    private static WorkflowDefinition workflow(String tenant, String id, int version, String name, String docVersion,
            boolean active, String at) {
        return new WorkflowDefinition(tenant, id, version, DefinitionFormat.YAML, "document: {dsl: '1.0.0', "
                + "namespace: shop, name: " + name + ", version: '" + docVersion + "'}\ndo: [{s: {set: {id: " + id
                + "}}}]\n", active, Instant.parse(at));
    }

    private void put(WorkflowDefinition w, boolean seen) {
        store.put(w.getTenant() + "/" + w.getWorkflowId(), w);
        if (seen) {
            index.stored(w.getTenant() + "/" + w.getWorkflowId(), w);
        }
    }

    private String find(String tenant, String name, String version) {
        Subflows.Workflow found = index.find(catalog, tenant, "shop", name, version);
        return found == null ? null : found.workflowId() + " v" + found.version();
    }

    @Test
    void shouldFindWhatTheStoreHeldBeforeTheIndexSawAnything() {
        put(workflow("acme", "pay-1", 1, "pay", "1.0.0", true, "2026-01-01T00:00:00Z"), false);
        put(workflow("acme", "pay-2", 4, "pay", "2.0.0", true, "2026-01-02T00:00:00Z"), false);
        put(workflow("other", "pay-9", 1, "pay", "9.0.0", true, "2026-01-03T00:00:00Z"), false);

        assertThat(find("acme", "pay", "1.0.0")).isEqualTo("pay-1 v1");
        assertThat(find("acme", "pay", Subflows.LATEST)).isEqualTo("pay-2 v4");
        assertThat(find("acme", "pay", "9.0.0")).as("another tenant's").isNull();
        assertThat(find("acme", "ship", Subflows.LATEST)).isNull();
    }

    @Test
    void shouldTakeTheMostRecentlyStoredVersionForLatestWhateverItsActivationsSince() {
        put(workflow("acme", "pay-1", 1, "pay", "1.0.0", true, "2026-01-01T00:00:00Z"), true);
        put(workflow("acme", "pay-2", 1, "pay", "2.0.0", true, "2026-01-02T00:00:00Z"), true);
        // deactivated and activated again later: no version stored, so still the older one
        put(workflow("acme", "pay-1", 1, "pay", "1.0.0", true, "2026-01-05T00:00:00Z"), true);

        assertThat(find("acme", "pay", Subflows.LATEST)).isEqualTo("pay-2 v1");
    }

    @Test
    void shouldFollowTheStoreWhenTheIndexLagsIt() {
        put(workflow("acme", "pay-1", 1, "pay", "1.0.0", true, "2026-01-01T00:00:00Z"), true);
        assertThat(find("acme", "pay", "1.0.0")).isEqualTo("pay-1 v1");
        // the store moved on (to another version, then away) before the index was told
        put(workflow("acme", "pay-1", 2, "pay", "1.1.0", true, "2026-01-02T00:00:00Z"), false);
        assertThat(find("acme", "pay", "1.0.0")).isNull();
        assertThat(find("acme", "pay", "1.1.0")).isEqualTo("pay-1 v2");
        store.remove("acme/pay-1");
        assertThat(find("acme", "pay", Subflows.LATEST)).isNull();
    }

    @Test
    void shouldDropAWorkflowTheCatalogDeleted() {
        put(workflow("acme", "pay-1", 1, "pay", "1.0.0", true, "2026-01-01T00:00:00Z"), true);
        store.remove("acme/pay-1");
        index.stored("acme/pay-1", null);

        assertThat(find("acme", "pay", Subflows.LATEST)).isNull();
    }

    /** A read-only store over a sorted map. */
    private record MapStore(TreeMap<String, WorkflowDefinition> map)
            implements ReadOnlyKeyValueStore<String, WorkflowDefinition> {

        @Override
        public WorkflowDefinition get(String key) {
            return map.get(key);
        }

        @Override
        public KeyValueIterator<String, WorkflowDefinition> range(String from, String to) {
            return iterator(map.subMap(from, true, to, true));
        }

        @Override
        public KeyValueIterator<String, WorkflowDefinition> all() {
            return iterator(map);
        }

        @Override
        public long approximateNumEntries() {
            return map.size();
        }

        private static KeyValueIterator<String, WorkflowDefinition> iterator(Map<String, WorkflowDefinition> map) {
            Iterator<Map.Entry<String, WorkflowDefinition>> entries = new TreeMap<>(map).entrySet().iterator();
            return new KeyValueIterator<>() {
                @Override
                public boolean hasNext() {
                    return entries.hasNext();
                }

                @Override
                public KeyValue<String, WorkflowDefinition> next() {
                    Map.Entry<String, WorkflowDefinition> e = entries.next();
                    return KeyValue.pair(e.getKey(), e.getValue());
                }

                @Override
                public void close() {
                }

                @Override
                public String peekNextKey() {
                    throw new UnsupportedOperationException();
                }
            };
        }
    }
}
