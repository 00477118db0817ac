package io.runstream.schemas.serde;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.Schema;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;

/**
 * Reads Confluent wire-format records into generated Avro classes. The writer schema comes from the registry
 * by id; the reader schema is the local class of the same name, so old and new producers both decode.
 */
public class AvroDeserializer<T extends SpecificRecord> implements Deserializer<T> {

    /** Optional config: the fully-qualified class every value must be; anything else is rejected. */
    public static final String VALUE_TYPE_CONFIG = "runstream.avro.value.type";

    private SchemaRegistry registry;
    private Class<T> expected;
    private final Map<Integer, SpecificDatumReader<T>> readers = new ConcurrentHashMap<>();

    /** For Kafka's reflective construction; {@link #configure} then reads {@code schema.registry.url}. */
    public AvroDeserializer() {
    }

    public AvroDeserializer(SchemaRegistry registry, Class<T> expected) {
        this.registry = registry;
        this.expected = expected;
    }

    @Override
    @SuppressWarnings("unchecked")
    public void configure(Map<String, ?> configs, boolean isKey) {
        if (registry == null) {
            registry = WireFormat.registryFrom(configs);
        }
        Object type = configs.get(VALUE_TYPE_CONFIG);
        if (expected == null && type != null) {
            try {
                expected = (Class<T>) (type instanceof Class<?> c ? c : Class.forName(type.toString()));
            } catch (ClassNotFoundException e) {
                throw new IllegalArgumentException(VALUE_TYPE_CONFIG + " names an unknown class: " + type, e);
            }
        }
    }

    @Override
    public T deserialize(String topic, byte[] data) {
        if (data == null) {
            return null;
        }
        int id = WireFormat.schemaId(data, topic);
        try {
            T value = readerFor(id).read(null, DecoderFactory.get()
                    .binaryDecoder(data, WireFormat.HEADER_SIZE, data.length - WireFormat.HEADER_SIZE, null));
            if (expected != null && !expected.isInstance(value)) {
                throw new SerializationException("Record on " + topic + " is a " + value.getClass().getName()
                        + ", expected " + expected.getName());
            }
            return value;
        } catch (SerializationException e) {
            throw e;
        } catch (Exception e) {
            throw new SerializationException("Could not read record with schema id " + id + " on " + topic
                    + ": " + e.getMessage(), e);
        }
    }

    private SpecificDatumReader<T> readerFor(int id) {
        return readers.computeIfAbsent(id, key -> {
            Schema writer = registry.schemaById(key);
            SpecificData data = expected != null ? SpecificData.getForClass(expected) : SpecificData.get();
            Class<?> local = data.getClass(writer);
            if (local == null || !SpecificRecord.class.isAssignableFrom(local)) {
                throw new SerializationException("No generated class for " + writer.getFullName()
                        + " (schema id " + key + ")");
            }
            return new SpecificDatumReader<>(writer, data.getSchema(local), data);
        });
    }
}
