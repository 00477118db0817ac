package io.runstream.api.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.runstream.testkit.EmbeddedKafka;
import io.runstream.testkit.Ports;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** A follower on a real broker: it reads what is written, and stops without waiting out its fetch at the broker. */
class TopicFollowerIT {

    private static final String TOPIC = "followed";
    private static EmbeddedKafka broker;

    @BeforeAll
    static void startBroker() throws Exception {
        broker = EmbeddedKafka.start(Files.createTempDirectory("follower-kafka-"), Ports.free());
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                broker.bootstrapServers()))) {
            admin.createTopics(List.of(new NewTopic(TOPIC, 2, (short) 1))).all().get();
        }
    }

    @AfterAll
    static void stopBroker() {
        broker.close();
    }

    @Test
    void shouldStopWithoutWaitingForTheFetchThatWaitsAtTheBroker() {
        Follower follower = new Follower(broker.bootstrapServers());
        follower.start();
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()), new StringSerializer(),
                new StringSerializer())) {
            producer.send(new ProducerRecord<>(TOPIC, "k", "written"));
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> follower.read.contains("written"));
        // nothing more comes: the follower's next fetches wait at the broker, each up to IDLE_FETCH_WAIT_MS
        await().pollDelay(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(2)).until(() -> true);

        long started = System.nanoTime();
        follower.stop();
        long stoppedMillis = (System.nanoTime() - started) / 1_000_000;

        assertThat(Thread.getAllStackTraces().keySet()).as("the follower's thread has ended")
                .noneMatch(t -> t.getName().equals(Follower.NAME) && t.isAlive());
        // its consumer's close used to wait for the fetch waiting at the broker (about 4 s more here), and a
        // stopping service waited that long for each follower
        assertThat(stoppedMillis).as("ms to stop, with a fetch waiting %d ms at the broker",
                TopicFollower.IDLE_FETCH_WAIT_MS).isLessThan(TopicFollower.IDLE_FETCH_WAIT_MS / 2);
        System.out.printf("follower-stop: stopped in %d ms while its fetch waited at the broker (up to %d ms)%n",
                stoppedMillis, TopicFollower.IDLE_FETCH_WAIT_MS);
    }

    private static final class Follower extends TopicFollower<String> {

        static final String NAME = "followed-reader";
        final List<String> read = new CopyOnWriteArrayList<>();

        Follower(String bootstrap) {
            super(NAME, groupless(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap), NAME, "earliest",
                    "read_committed"), TOPIC, StringDeserializer::new, Duration.ofSeconds(10));
        }

        @Override
        protected void position(KafkaConsumer<String, String> consumer, List<TopicPartition> partitions) {
            consumer.seekToBeginning(partitions);
        }

        @Override
        protected void accept(ConsumerRecord<String, String> record) {
            read.add(record.value());
        }
    }
}
