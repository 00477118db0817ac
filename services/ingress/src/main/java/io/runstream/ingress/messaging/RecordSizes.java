package io.runstream.ingress.messaging;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.Map;
import org.apache.avro.Schema;
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
    private static final int MAX_LENGTH_BYTES = 5;
    private static final int MAX_UTF8_BYTES_PER_CHAR = 3;
    private static final int MAX_FIELD_BYTES = 12;

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

    /**
     * At least what {@link #of} counts for a record of {@code schema} whose strings are {@code texts} and the keys and
     * values of {@code map}, every other field being a number, a null or an empty default, counted without encoding
     * it: Avro writes a string as its length (at most {@value #MAX_LENGTH_BYTES} bytes) and its UTF-8 bytes, at most
     * {@value #MAX_UTF8_BYTES_PER_CHAR} for each Java char (a character outside the Basic Multilingual Plane is two
     * chars and four bytes), and any other field, a map's framing or a union's branch in at most
     * {@value #MAX_FIELD_BYTES}.
     */
    static long bound(Schema schema, Map<String, String> map, String... texts) {
        long bytes = (long) schema.getFields().size() * MAX_FIELD_BYTES + WIRE_HEADER + OVERHEAD;
        for (String text : texts) {
            bytes += bound(text);
        }
        for (Map.Entry<String, String> entry : map.entrySet()) {
            bytes += bound(entry.getKey()) + bound(entry.getValue());
        }
        return bytes;
    }

    private static long bound(String text) {
        return text == null ? 0 : MAX_LENGTH_BYTES + (long) MAX_UTF8_BYTES_PER_CHAR * text.length();
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
