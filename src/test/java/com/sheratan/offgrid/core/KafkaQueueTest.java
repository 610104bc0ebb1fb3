package com.sheratan.offgrid.core;

import static com.sheratan.offgrid.core.CoreTesting.await;
import static com.sheratan.offgrid.core.CoreTesting.deadBrokerUrl;
import static com.sheratan.offgrid.core.CoreTesting.settings;
import static com.sheratan.offgrid.testing.Http.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.sheratan.offgrid.launch.RunningRole;
import com.sheratan.offgrid.testing.Http;
import com.sheratan.offgrid.testing.Ports;
import com.sheratan.offgrid.testing.TestKafka;
import com.sheratan.offgrid.testing.TestRoles;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The file queue on a real Kafka broker ({@code offgrid.core.queue=kafka}, SPEC 15): queued jobs are
 * records of {@code offgrid.jobs.queued} keyed by job_id and reported queued after the acknowledgement,
 * results from {@code offgrid.jobs.results} complete them, jobs from {@code offgrid.jobs.in} are recorded
 * before their offset is committed, and Kafka down is a 503, as an unwritable queue folder is.
 */
class KafkaQueueTest {
    private static final String ECHO = "{\"job_id\":\"%s\",\"kind\":\"echo\",\"payload\":{\"text\":\"hello\"}}";
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static TestKafka kafka;

    @TempDir
    Path home;

    private final Http http = new Http();
    private TestRoles roles;

    @BeforeAll
    static void startKafka() {
        kafka = TestKafka.start();
    }

    @AfterAll
    static void stopKafka() {
        kafka.close();
    }

    @BeforeEach
    void start() {
        roles = new TestRoles(home);
    }

    @AfterEach
    void stop() {
        roles.close();
    }

    private RunningRole core(String mode, String bootstrapServers, String... more) {
        Map<String, String> settings = settings(deadBrokerUrl(), mode, more);
        settings.put("offgrid.core.queue", "kafka");
        settings.put("offgrid.kafka.bootstrap-servers", bootstrapServers);
        return roles.core(settings);
    }

    private JsonNode job(RunningRole core, String jobId) {
        HttpResponse<String> response = http.get(core.baseUrl() + "/api/jobs/" + jobId);
        assertEquals(200, response.statusCode(), response.body());
        return json(response.body());
    }

    private static void produce(String topic, String key, String value) throws Exception {
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
                ProducerConfig.ACKS_CONFIG, "all"), new StringSerializer(), new StringSerializer())) {
            producer.send(new ProducerRecord<>(topic, key, value)).get(20, TimeUnit.SECONDS);
        }
    }

    private static List<ConsumerRecord<String, String>> records(String topic, String key) {
        List<ConsumerRecord<String, String>> found = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG, "test-" + UUID.randomUUID(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"), new StringDeserializer(), new StringDeserializer())) {
            consumer.subscribe(List.of(topic));
            long deadline = System.nanoTime() + WAIT.toNanos();
            while (found.isEmpty() && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(500)).forEach(r -> {
                    if (key.equals(r.key())) {
                        found.add(r);
                    }
                });
            }
        }
        return found;
    }

    @Test
    void aQueuedJobIsARecordKeyedByItsJobIdAndReportedQueuedAfterTheAck() {
        RunningRole core = core("disabled", kafka.bootstrapServers());
        HttpResponse<String> queued = http.postJson(core.baseUrl() + "/api/jobs", ECHO.formatted("job-k1"));
        assertEquals(202, queued.statusCode(), queued.body());
        assertEquals("kafka:offgrid.jobs.queued/job-k1", json(queued.body()).path("job_file").asText());
        assertEquals("queued", job(core, "job-k1").path("status").asText());
        await(WAIT, "ready: Kafka answers", () -> http.get(core.baseUrl() + "/observe/health/ready").statusCode() == 200);
        assertFalse(Files.exists(home.resolve("webrelay_out/job-k1.job.json")), "no queue file beside Kafka");

        List<ConsumerRecord<String, String>> records = records("offgrid.jobs.queued", "job-k1");
        assertEquals(1, records.size());
        // the producer waits for every in-sync replica, and a retry of it never writes the record twice
        org.apache.camel.component.kafka.KafkaConfiguration producer = core.camelContext().getEndpoints().stream()
                .filter(e -> e instanceof org.apache.camel.component.kafka.KafkaEndpoint)
                .map(e -> ((org.apache.camel.component.kafka.KafkaEndpoint) e).getConfiguration())
                .filter(c -> c.getTopic().equals("offgrid.jobs.queued")).findFirst().orElseThrow();
        assertEquals("all", producer.getRequestRequiredAcks());
        assertTrue(producer.isEnableIdempotence());
        JsonNode document = json(records.get(0).value());
        assertEquals("job-k1", document.path("job_id").asText());
        assertEquals("mode_disabled", document.path("reason").asText());
        assertEquals(1, document.path("attempts").asInt());
        assertEquals("core_v2_none", document.path("session_id").asText());
        assertTrue(document.path("offgrid_request").path("job").isObject());
        assertTrue(document.path("offgrid_request").path("job").path("claim_token").isMissingNode(),
                "the claim token is removed, as from a queue file");
    }

    @Test
    void aResultFromTheResultsTopicCompletesTheQueuedJob() throws Exception {
        RunningRole core = core("disabled", kafka.bootstrapServers());
        assertEquals(202, http.postJson(core.baseUrl() + "/api/jobs", ECHO.formatted("job-k2")).statusCode());
        produce("offgrid.jobs.results", "job-k2", "this is no result");
        produce("offgrid.jobs.results", "job-k2", "{\"ok\":true,\"action\":\"text_result\",\"text\":\"done by the worker\"}");
        await(WAIT, "the result completes the job", () -> "completed".equals(job(core, "job-k2").path("status").asText()));
        assertEquals("done by the worker", job(core, "job-k2").path("result").path("text").asText());
    }

    @Test
    void aJobFromTheJobsTopicIsRecordedThenItsOffsetCommitted() throws Exception {
        RunningRole core = core("disabled", kafka.bootstrapServers());
        produce("offgrid.jobs.in", "job-k3", ECHO.formatted("job-k3"));
        await(WAIT, "the job is recorded and queued", () -> http.get(core.baseUrl() + "/api/jobs/job-k3").statusCode() == 200
                && "queued".equals(job(core, "job-k3").path("status").asText()));
        assertEquals("kafka", job(core, "job-k3").path("source").asText());
        try (Admin admin = kafka.admin()) {
            TopicPartition jobsIn = new TopicPartition("offgrid.jobs.in", 0);
            await(WAIT, "the offset is committed", () -> {
                try {
                    OffsetAndMetadata committed = admin.listConsumerGroupOffsets("offgrid-core")
                            .partitionsToOffsetAndMetadata().get(10, TimeUnit.SECONDS).get(jobsIn);
                    return committed != null && committed.offset() == 1;
                } catch (Exception e) {
                    return false;
                }
            });
        }
    }

    @Test
    void kafkaDownInAutoModeAnswers503AndTheJobIsNotQueued() {
        RunningRole core = core("auto", "127.0.0.1:" + Ports.free(), "offgrid.kafka.send-timeout-ms", "2000");
        HttpResponse<String> refused = http.postJson(core.baseUrl() + "/api/jobs", ECHO.formatted("job-k4"));
        assertEquals(503, refused.statusCode(), refused.body());
        assertEquals("file_queue_unwritable", json(refused.body()).path("reason").asText(), refused.body());
        JsonNode job = job(core, "job-k4");
        assertEquals("failed", job.path("status").asText());
        assertTrue(job.path("reason").asText().contains("Kafka did not acknowledge"), job.toString());
        HttpResponse<String> ready = http.get(core.baseUrl() + "/observe/health/ready");
        assertEquals(503, ready.statusCode(), "not ready while the queue cannot be written: " + ready.body());
    }
}
