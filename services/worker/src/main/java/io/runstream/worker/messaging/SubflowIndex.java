package io.runstream.worker.messaging;

import io.runstream.engine.Definitions;
import io.runstream.engine.Subflows;
import io.runstream.schemas.WorkflowDefinition;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;

/**
 * The workflow catalog (the global store, keyed {@code tenant/workflowId}, the latest version of each) indexed by
 * what a {@code run: workflow} task names: the tenant and the {@code namespace}, {@code name} and {@code version} of
 * each workflow's {@code document}, to its workflow id and the catalog's version number. Each workflow id stands for
 * its latest version only, as the catalog keeps no other: to keep two versions of a workflow callable, store them
 * under two ids. A version is matched as text, exactly; {@code latest} takes the most recently stored of the
 * workflows of that namespace and name (the one whose current version was stored last; ties by workflow id).
 *
 * <p>Kept in memory, one per worker instance: the catalog's updater indexes each record it stores, and the first
 * lookup indexes what the store held already (a restart restores the store from its checkpoint without replaying
 * it). The store stays the truth: an entry is checked against it when found, so an index that lags never starts a
 * version the store no longer has.
 */
final class SubflowIndex {

    /** One workflow id's latest version, as its document names it, and when that version was first stored. */
    private record Entry(String key, String tenant, Definitions.Document document, int version, Instant storedAt) {
    }

    private final Map<String, Entry> byKey = new HashMap<>();
    /** The keys of each tenant, namespace and name. */
    private final Map<String, Set<String>> byName = new HashMap<>();
    private boolean scanned;

    /** The catalog stored {@code value} under {@code key}, or removed it (null). */
    synchronized void stored(String key, WorkflowDefinition value) {
        if (value == null) {
            drop(key);
            return;
        }
        Entry current = byKey.get(key);
        if (current != null && current.version() > value.getVersion()) {
            return;
        }
        drop(key);
        Definitions.Document document = Definitions.document(value.getDefinition());
        if (document == null) {
            return;
        }
        // an activation changes updatedAt but stores no version: the version keeps when it was stored
        Instant storedAt = current != null && current.version() == value.getVersion() ? current.storedAt()
                : value.getUpdatedAt();
        Entry entry = new Entry(key, value.getTenant(), document, value.getVersion(), storedAt);
        byKey.put(key, entry);
        byName.computeIfAbsent(nameKey(entry.tenant(), document.namespace(), document.name()),
                k -> new LinkedHashSet<>()).add(key);
    }

    /**
     * The tenant's workflow the names match, read from the catalog as it is now (see the class comment); null when
     * none does.
     */
    Subflows.Workflow find(ReadOnlyKeyValueStore<String, WorkflowDefinition> catalog, String tenant,
            String namespace, String name, String version) {
        List<Entry> candidates = candidates(catalog, tenant, namespace, name, version);
        for (Entry entry : candidates) {
            WorkflowDefinition current = catalog.get(entry.key());
            if (current == null || current.getVersion() != entry.version()) {
                // the index lags the store: index what the store holds (each time one entry fewer is out of step)
                // and look again
                resync(entry.key(), current);
                return find(catalog, tenant, namespace, name, version);
            }
            return new Subflows.Workflow(current.getWorkflowId(), current.getVersion(), current.getDefinition(),
                    current.getActive());
        }
        return null;
    }

    private synchronized void resync(String key, WorkflowDefinition current) {
        drop(key);
        stored(key, current);
    }

    /** The matching entry to run, in a list of one; empty when none matches. */
    private synchronized List<Entry> candidates(ReadOnlyKeyValueStore<String, WorkflowDefinition> catalog,
            String tenant, String namespace, String name, String version) {
        if (!scanned) {
            scan(catalog);
        }
        List<Entry> matching = new ArrayList<>();
        for (String key : byName.getOrDefault(nameKey(tenant, namespace, name), Set.of())) {
            Entry entry = byKey.get(key);
            if (entry != null && (Subflows.LATEST.equals(version) || entry.document().version().equals(version))) {
                matching.add(entry);
            }
        }
        matching.sort(Comparator.comparing(Entry::storedAt).thenComparing(Entry::key).reversed());
        return matching.isEmpty() ? List.of() : List.of(matching.get(0));
    }

    /** Indexes every workflow the store holds that the index has not seen in that version or a later one. */
    private void scan(ReadOnlyKeyValueStore<String, WorkflowDefinition> catalog) {
        try (KeyValueIterator<String, WorkflowDefinition> all = catalog.all()) {
            while (all.hasNext()) {
                var next = all.next();
                Entry known = byKey.get(next.key);
                if (next.value != null && (known == null || known.version() < next.value.getVersion())) {
                    stored(next.key, next.value);
                }
            }
        }
        scanned = true;
    }

    private void drop(String key) {
        Entry entry = byKey.remove(key);
        if (entry != null) {
            Set<String> keys = byName.get(nameKey(entry.tenant(), entry.document().namespace(),
                    entry.document().name()));
            if (keys != null) {
                keys.remove(key);
            }
        }
    }

    private static String nameKey(String tenant, String namespace, String name) {
        return tenant + '\u0000' + namespace + '\u0000' + name;
    }
}
