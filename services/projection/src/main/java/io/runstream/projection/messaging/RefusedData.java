package io.runstream.projection.messaging;

import io.runstream.projection.domain.UnstorableDataException;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.springframework.kafka.listener.BatchListenerFailedException;

/**
 * Stores a batch in one go, and when the database refuses what one of its items carries, one at a time: an item
 * refused is stored without its data (so its execution's status still moves on) and its record is dead-lettered
 * whole; one refused even so fails the batch at its index, for the error handler to dead-letter, and the partition
 * goes on after it.
 */
final class RefusedData {

    private RefusedData() {
    }

    /**
     * @param records the batch's records, of which {@code items} are the first ones, mapped
     * @param store stores items in one transaction, throwing {@link UnstorableDataException} if refused
     * @param withoutData the item with only what places it, without user data
     */
    static <T> void store(List<? extends ConsumerRecord<?, ?>> records, List<T> items, Consumer<List<T>> store,
            UnaryOperator<T> withoutData, DeadLetters deadLetters) {
        try {
            store.accept(items);
            return;
        } catch (UnstorableDataException refused) {
            // find which: each on its own
        }
        for (int i = 0; i < items.size(); i++) {
            try {
                store.accept(List.of(items.get(i)));
            } catch (UnstorableDataException refused) {
                storeWithoutData(records.get(i), items.get(i), i, refused, store, withoutData, deadLetters);
            }
        }
    }

    private static <T> void storeWithoutData(ConsumerRecord<?, ?> record, T item, int index,
            UnstorableDataException refused, Consumer<List<T>> store, UnaryOperator<T> withoutData,
            DeadLetters deadLetters) {
        try {
            store.accept(List.of(withoutData.apply(item)));
        } catch (UnstorableDataException still) {
            throw new BatchListenerFailedException(still.getMessage(), PoisonRecordException.refused(
                    "Not applied: " + still.getMessage()), index);
        }
        deadLetters.send(record, PoisonRecordException.dataDropped("Applied without its input, output, metadata "
                + "and messages, which the database refused: " + refused.getMessage()));
    }
}
