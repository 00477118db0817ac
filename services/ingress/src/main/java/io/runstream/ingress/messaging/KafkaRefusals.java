package io.runstream.ingress.messaging;

import io.runstream.ingress.domain.RecordRefusedException;
import org.apache.kafka.common.InvalidRecordException;
import org.apache.kafka.common.errors.RecordBatchTooLargeException;
import org.apache.kafka.common.errors.RecordTooLargeException;

/** Tells a record the log refuses for good (too large for the producer or the topic) from a broker that is away. */
final class KafkaRefusals {

    private KafkaRefusals() {
    }

    /** The domain's {@link RecordRefusedException} if the failure is a refusal for good, else the failure. */
    static Throwable translate(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof RecordTooLargeException || t instanceof RecordBatchTooLargeException
                    || t instanceof InvalidRecordException) {
                return new RecordRefusedException(t.getMessage(), failure);
            }
        }
        return failure;
    }
}
