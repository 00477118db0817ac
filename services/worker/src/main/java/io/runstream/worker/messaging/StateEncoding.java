package io.runstream.worker.messaging;

import io.runstream.schemas.internal.ExecutionState;
import io.runstream.worker.domain.Execution;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificDatumWriter;

/**
 * How many bytes an execution's state takes in the store, measured by encoding it as the store does (the
 * registry's framing adds five): what the domain's size limit and the redrive store's bound are checked against.
 */
final class StateEncoding {

    /** One encoder per stream thread, its buffer reused. */
    private static final ThreadLocal<StateEncoding> PER_THREAD = ThreadLocal.withInitial(StateEncoding::new);

    private final ByteArrayOutputStream buffer = new ByteArrayOutputStream();
    private final SpecificDatumWriter<ExecutionState> writer = new SpecificDatumWriter<>(ExecutionState.class);
    private BinaryEncoder encoder;

    private StateEncoding() {
    }

    /** The bytes the execution's state would take; 0 for one with no progress kept. */
    static long bytes(Execution execution) {
        return bytes(AvroMapper.toState(execution));
    }

    static long bytes(ExecutionState state) {
        return state.getProgress() == null ? 0 : PER_THREAD.get().measure(state);
    }

    private long measure(ExecutionState state) {
        buffer.reset();
        try {
            encoder = EncoderFactory.get().binaryEncoder(buffer, encoder);
            writer.write(state, encoder);
            encoder.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return buffer.size();
    }
}
