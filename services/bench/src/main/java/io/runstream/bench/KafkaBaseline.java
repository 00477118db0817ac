package io.runstream.bench;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * The machine's own limit: a plain producer with the ingress's settings (acks=all, idempotent), to a topic with as
 * many copies as the services' topics.
 */
final class KafkaBaseline {

    private KafkaBaseline() {
    }

    static Stats run(String bootstrap, int count, int recordBytes) throws Exception {
        String topic = "runstream.bench.baseline";
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrap))) {
            // as many copies as the services' topics have: 1 on one broker, 3 on a cluster
            int brokers = admin.describeCluster().nodes().get().size();
            admin.createTopics(List.of(new NewTopic(topic, 6, (short) Math.min(3, brokers)))).all().get();
        } catch (java.util.concurrent.ExecutionException e) {
            if (!(e.getCause() instanceof TopicExistsException)) {
                throw e;
            }
        }
        byte[] value = new byte[recordBytes];
        long[] latencies = new long[count];
        AtomicInteger errors = new AtomicInteger();
        CountDownLatch done = new CountDownLatch(count);
        try (var producer = new KafkaProducer<>(Map.<String, Object>of("bootstrap.servers", bootstrap, "acks", "all",
                "enable.idempotence", true, "linger.ms", 2), new StringSerializer(), new ByteArraySerializer())) {
            long start = System.nanoTime();
            for (int i = 0; i < count; i++) {
                int n = i;
                long sent = System.nanoTime();
                producer.send(new ProducerRecord<>(topic, Integer.toString(i), value), (metadata, failure) -> {
                    latencies[n] = (System.nanoTime() - sent) / 1000;
                    if (failure != null) {
                        errors.incrementAndGet();
                    }
                    done.countDown();
                });
            }
            done.await();
            return new Stats("kafka producer, acks=all (" + recordBytes + " B)", count, errors.get(),
                    (System.nanoTime() - start) / 1e9, latencies);
        }
    }
}
