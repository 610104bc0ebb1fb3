package com.sheratan.offgrid.core;

import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.camel.health.HealthCheckResultBuilder;
import com.sheratan.offgrid.observe.ReadinessCheck;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;

/**
 * Readiness of a core whose queue is on Kafka (SPEC 14, 15): the brokers answer with their cluster's
 * nodes within {@value #TIMEOUT_MS} ms. DOWN with the reason while they do not: a job the mesh cannot take
 * would then be answered 503, not queued. Each call asks with a short-lived admin client of its own.
 */
final class KafkaReachableCheck extends ReadinessCheck {
    private static final int TIMEOUT_MS = 5000;
    private final String bootstrapServers;

    KafkaReachableCheck(String id, String bootstrapServers) {
        super(id);
        this.bootstrapServers = bootstrapServers;
    }

    @Override
    protected void doCall(HealthCheckResultBuilder builder, Map<String, Object> options) {
        builder.detail("kafka", bootstrapServers);
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, TIMEOUT_MS,
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, TIMEOUT_MS))) {
            int nodes = admin.describeCluster().nodes().get(TIMEOUT_MS, TimeUnit.MILLISECONDS).size();
            builder.detail("nodes", nodes);
            builder.up();
        } catch (ExecutionException | TimeoutException | RuntimeException e) {
            builder.message("Kafka at " + bootstrapServers + " does not answer: " + e.getMessage());
            builder.down();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            builder.down();
        }
    }
}
