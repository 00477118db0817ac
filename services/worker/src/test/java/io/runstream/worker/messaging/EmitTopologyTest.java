package io.runstream.worker.messaging;

import static org.assertj.core.api.Assertions.assertThat;

import io.cloudevents.CloudEvent;
import io.cloudevents.kafka.KafkaMessageFactory;
import io.runstream.schemas.ExecutionStatus;
import io.runstream.schemas.ExecutionStatusChanged;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@code emit} through the worker's topology: each event leaves on the event log as a CloudEvent in the Kafka
 * binding's binary mode, stamped with the execution's tenant, in the same transaction as the step that emitted it;
 * a workflow cannot claim another tenant.
 */
class EmitTopologyTest {

    private final TopologyHarness harness = new TopologyHarness();

    @AfterEach
    void close() {
        harness.close();
    }

    @Test
    void shouldWriteEachEmittedEventToTheEventLogWithTheExecutionsTenant() {
        String definition = """
                document: {dsl: '1.0.0', namespace: shop, name: orders, version: '2.1.0'}
                do:
                  - each:
                      for: {each: order, in: .orders}
                      do:
                        - tell:
                            emit:
                              event:
                                with: {type: order.checked, subject: '${ "order-\\($order)" }', region: eu,
                                       data: {order: '${ $order }'}}
                """;
        harness.commands.pipeInput("x1", TopologyHarness.request("x1", definition, "{\"orders\":[7,8]}"));

        List<TestRecord<String, byte[]>> records = harness.events.readRecordsToList();
        assertThat(records).hasSize(2);
        CloudEvent first = event(records.get(0));
        assertThat(first.getType()).isEqualTo("order.checked");
        assertThat(first.getSource().toString()).isEqualTo("/shop/orders/2.1.0");
        assertThat(first.getSubject()).isEqualTo("order-7");
        assertThat(first.getId()).isEqualTo("x1-1");
        assertThat(first.getDataContentType()).isEqualTo("application/json");
        assertThat(new String(first.getData().toBytes(), StandardCharsets.UTF_8)).isEqualTo("{\"order\":7}");
        assertThat(first.getExtension("runstreamtenant")).isEqualTo("default");
        assertThat(first.getExtension("region")).isEqualTo("eu");
        assertThat(event(records.get(1)).getId()).as("a number per event").isEqualTo("x1-2");
        assertThat(records.get(0).key()).isEqualTo("default//shop/orders/2.1.0");
        assertThat(harness.status.readValuesToList()).extracting(ExecutionStatusChanged::getStatus)
                .endsWith(ExecutionStatus.SUCCEEDED);
    }

    @Test
    void shouldRefuseAWorkflowThatClaimsATenant() {
        String definition = """
                document: {dsl: '1.0.0', namespace: shop, name: claim, version: '1.0.0'}
                do:
                  - tell:
                      emit:
                        event:
                          with: {type: t, runstreamtenant: other}
                """;
        harness.commands.pipeInput("x2", TopologyHarness.request("x2", definition, "{}"));

        assertThat(harness.events.isEmpty()).isTrue();
        assertThat(harness.status.readValuesToList()).extracting(ExecutionStatusChanged::getStatus)
                .endsWith(ExecutionStatus.FAILED);
    }

    private static CloudEvent event(TestRecord<String, byte[]> record) {
        return KafkaMessageFactory.createReader(record.headers(), record.value()).toEvent();
    }
}
