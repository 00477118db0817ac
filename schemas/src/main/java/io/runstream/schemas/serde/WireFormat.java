package io.runstream.schemas.serde;

import java.nio.ByteBuffer;
import org.apache.kafka.common.errors.SerializationException;

/** The Confluent Schema Registry framing: magic byte 0, a big-endian 4-byte schema id, then Avro binary. */
final class WireFormat {

    static final byte MAGIC = 0;
    static final int HEADER_SIZE = 5;
    static final String REGISTRY_URL_CONFIG = "schema.registry.url";

    private WireFormat() {
    }

    static int schemaId(byte[] data, String topic) {
        if (data.length < HEADER_SIZE) {
            throw new SerializationException("Record on " + topic + " has " + data.length
                    + " bytes, too short for the schema-registry wire format (magic byte + 4-byte id)");
        }
        if (data[0] != MAGIC) {
            throw new SerializationException("Record on " + topic + " starts with byte " + data[0]
                    + ", not the schema-registry magic byte 0: it was not written by an Avro registry serializer");
        }
        return ByteBuffer.wrap(data, 1, 4).getInt();
    }

    static String subject(String topic, boolean isKey) {
        return topic + (isKey ? "-key" : "-value");
    }

    static SchemaRegistry registryFrom(java.util.Map<String, ?> configs) {
        Object url = configs.get(REGISTRY_URL_CONFIG);
        if (url == null) {
            throw new IllegalArgumentException(REGISTRY_URL_CONFIG + " must be set for the Avro serde");
        }
        return SchemaRegistry.forUrl(url.toString());
    }
}
