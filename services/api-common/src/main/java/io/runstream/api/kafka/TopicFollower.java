package io.runstream.api.kafka;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.RecordDeserializationException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

/**
 * Reads every partition of one topic, on a thread of its own and with no consumer group (every instance needs all of
 * it), from where {@link #position} puts it; waits for the topic to exist, skips a record it cannot read, and starts
 * again after a failure (the broker away). Subclasses say what each record means.
 */
public abstract class TopicFollower<V> implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(TopicFollower.class);

    /**
     * How long the fetch of a consumer given its partitions once, before it fetches, waits at the broker for a record
     * (see {@link #groupless}); also the runner's cancels listener's, in a group of its own.
     */
    public static final int IDLE_FETCH_WAIT_MS = 5_000;

    private final String name;
    private final Map<String, Object> config;
    private final String topic;
    private final Supplier<Deserializer<V>> values;
    private final Duration pollTimeout;
    private volatile boolean running;
    private volatile KafkaConsumer<String, V> consumer;
    private Thread thread;

    /**
     * @param name the thread's name, and what the log calls it
     * @param config the consumer's configuration, without a group
     */
    protected TopicFollower(String name, Map<String, Object> config, String topic, Supplier<Deserializer<V>> values,
            Duration pollTimeout) {
        this.name = name;
        this.config = config;
        this.topic = topic;
        this.values = values;
        this.pollTimeout = pollTimeout;
    }

    /**
     * The services' consumer settings for a follower: no group, no commits, a client id of its own.
     *
     * @param reset where a partition with no position starts: {@code earliest} or {@code latest}
     * @param isolation {@code read_committed} or {@code read_uncommitted}
     */
    protected static Map<String, Object> groupless(Map<String, Object> consumer, String clientId, String reset,
            String isolation) {
        Map<String, Object> config = new java.util.HashMap<>(consumer);
        config.remove(ConsumerConfig.GROUP_ID_CONFIG);
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, reset);
        config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, isolation);
        // A fetch waits at the broker until a record comes or this long passes (Kafka's 500 ms). A record is
        // answered at once either way, and a follower is given its partitions once, before it fetches, so waiting
        // longer delays nothing it reads (but for the read after a skipped unreadable record, which follows a seek);
        // it only sends a tenth as many empty fetches while idle, each a wake-up for the broker and this consumer.
        // Grouped consumers keep 500 ms: no new fetch goes to a broker while one waits there, so a partition a
        // rebalance gives one is read only once that fetch returns.
        config.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, IDLE_FETCH_WAIT_MS);
        config.put(ConsumerConfig.CLIENT_ID_CONFIG, clientId + "-" + java.util.UUID.randomUUID());
        return config;
    }

    /** Where reading starts, on every (re)start: seek the partitions. */
    protected abstract void position(KafkaConsumer<String, V> consumer, List<TopicPartition> partitions);

    protected abstract void accept(ConsumerRecord<String, V> record);

    /** After each poll, what it read taken in; {@code started} is when the poll began ({@link System#nanoTime}). */
    protected void polled(KafkaConsumer<String, V> consumer, List<TopicPartition> partitions, long started) {
    }

    private void follow() {
        while (running) {
            try (Closing<String, V> closing = new Closing<>(new KafkaConsumer<>(config, new StringDeserializer(),
                    values.get()))) {
                KafkaConsumer<String, V> c = closing.consumer();
                consumer = c;
                List<TopicPartition> partitions = partitions(c);
                c.assign(partitions);
                position(c, partitions);
                while (running) {
                    long started = System.nanoTime();
                    poll(c);
                    polled(c, partitions, started);
                }
            } catch (WakeupException stopping) {
                return;
            } catch (RuntimeException e) {
                log.warn("Reading {} from {} failed; reading again in 1 s: {}", name, topic, e.toString());
                sleep();
            }
        }
    }

    private void poll(KafkaConsumer<String, V> c) {
        try {
            for (ConsumerRecord<String, V> record : c.poll(pollTimeout)) {
                accept(record);
            }
        } catch (RecordDeserializationException poison) {
            log.warn("Skipping an unreadable record of {} at {} offset {}", topic, poison.topicPartition(),
                    poison.offset());
            c.seek(poison.topicPartition(), poison.offset() + 1);
        }
    }

    private List<TopicPartition> partitions(KafkaConsumer<String, V> c) {
        while (running) {
            List<PartitionInfo> infos = c.partitionsFor(topic, Duration.ofSeconds(10));
            if (infos != null && !infos.isEmpty()) {
                return infos.stream().map(p -> new TopicPartition(p.topic(), p.partition())).toList();
            }
            sleep();
        }
        throw new WakeupException();
    }

    private static void sleep() {
        try {
            Thread.sleep(1_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * A consumer closed without waiting long to end its fetch sessions: Kafka's close sends each broker a request
     * that ends the session and waits for its answer (up to 30 s), which the broker gives only once the fetch that
     * waits there returns (up to {@link #IDLE_FETCH_WAIT_MS}); a stopping service waited that long for each follower.
     * A session left open is ended by the broker itself.
     */
    private record Closing<K, V>(KafkaConsumer<K, V> consumer) implements AutoCloseable {

        private static final Duration CLOSE_TIMEOUT = Duration.ofMillis(500);

        @Override
        public void close() {
            consumer.close(CloseOptions.timeout(CLOSE_TIMEOUT));
        }
    }

    @Override
    public void start() {
        running = true;
        thread = new Thread(this::follow, name);
        thread.setDaemon(true);
        thread.start();
    }

    @Override
    public void stop() {
        running = false;
        KafkaConsumer<String, V> c = consumer;
        if (c != null) {
            c.wakeup();
        }
        if (thread != null) {
            try {
                thread.join(5_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Override
    public boolean isRunning() {
        return running;
    }
}
