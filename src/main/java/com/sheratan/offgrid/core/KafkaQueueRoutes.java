package com.sheratan.offgrid.core;

import java.util.List;
import org.apache.camel.CamelContext;
import org.apache.camel.StartupListener;

/** Starts the routes of core-kafka.yaml (not started by themselves) once the core runs with offgrid.core.queue=kafka. */
final class KafkaQueueRoutes implements StartupListener {
    static final List<String> ROUTES = List.of("kafka-queue", "kafka-results-intake", "kafka-job-intake");

    @Override
    public void onCamelContextStarted(CamelContext context, boolean alreadyStarted) {
    }

    @Override
    public void onCamelContextFullyStarted(CamelContext context, boolean alreadyStarted) throws Exception {
        for (String route : ROUTES) {
            context.getRouteController().startRoute(route);
        }
    }
}
