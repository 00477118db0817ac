package io.runstream.ingress.messaging;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.avro.specific.SpecificRecord;

/**
 * The size a record will have on the log, counted before it is recorded anywhere: its Avro encoding, the registry
 * wire header, and an allowance for its key, headers (a traceparent) and the batch's framing.
 */
final class RecordSizes {

    /** Key, headers and framing, generously: an execution id key is 36 bytes, a traceparent header 67. */
    static final int OVERHEAD = 512;
    private static final int WIRE_HEADER = 5;

    private RecordSizes() {
    }

    static <T extends SpecificRecord> long of(T record) {
        Counter counter = new Counter();
        try {
            BinaryEncoder encoder = EncoderFactory.get().directBinaryEncoder(counter, null);
            new SpecificDatumWriter<T>(record.getSchema()).write(record, encoder);
            encoder.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return counter.bytes + WIRE_HEADER + OVERHEAD;
    }

    /** Counts bytes and keeps none. */
    private static final class Counter extends OutputStream {

        private long bytes;

        @Override
        public void write(int b) {
            bytes++;
        }

        @Override
        public void write(byte[] b, int off, int len) {
            bytes += len;
        }
    }
}
