package io.runstream.worker.messaging;

import io.runstream.schemas.WorkflowDefinition;
import io.runstream.schemas.internal.ExecutionState;
import io.runstream.worker.domain.ExecutionInputs;
import io.runstream.worker.settings.WorkerProperties;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * The processor's Kafka Streams stores, opened once per task, and the domain's ports over them: the processor's
 * wiring, apart from what it does with an input.
 */
final class ProcessorStores {

    private final KeyValueStore<String, ExecutionState> executions;
    private final TimerIndex timers;
    private final FinishedExecutions finished;
    private final RedrivableExecutions redrivable;
    private final DecidedCommands decided;
    private final ExecutionInputs.Ports ports;
    private final CatalogSubflows subflows;

    ProcessorStores(ProcessorContext<?, ?> context, WorkerProperties properties, SubflowIndex index) {
        this.executions = context.getStateStore(ExecutionTopology.STORE);
        KeyValueStore<Bytes, byte[]> timerStore = context.getStateStore(ExecutionTopology.TIMERS);
        this.timers = new TimerIndex(timerStore);
        this.finished = new FinishedExecutions(context.getStateStore(ExecutionTopology.FINISHED),
                properties.retention());
        this.redrivable = new RedrivableExecutions(context.getStateStore(ExecutionTopology.REDRIVABLE),
                properties.redriveWindow());
        this.decided = new DecidedCommands(context.getStateStore(ExecutionTopology.DECIDED), properties.retention());
        KeyValueStore<String, WorkflowDefinition> workflows = context.getStateStore(ExecutionTopology.WORKFLOWS);
        this.subflows = new CatalogSubflows(index, workflows);
        DefinitionTexts texts = new DefinitionTexts(context.getStateStore(ExecutionTopology.DEFINITIONS));
        CrashReports crashes = new CrashReports(context.getStateStore(ExecutionTopology.CRASHES));
        this.ports = new ExecutionInputs.Ports(new DefinitionCatalog(workflows, texts), finished, redrivable, decided,
                crashes, StateEncoding::bytes);
    }

    KeyValueStore<String, ExecutionState> executions() {
        return executions;
    }

    TimerIndex timers() {
        return timers;
    }

    FinishedExecutions finished() {
        return finished;
    }

    RedrivableExecutions redrivable() {
        return redrivable;
    }

    DecidedCommands decided() {
        return decided;
    }

    ExecutionInputs.Ports ports() {
        return ports;
    }

    /** The workflows {@code run: workflow} tasks start, found in the catalog. */
    CatalogSubflows subflows() {
        return subflows;
    }
}
