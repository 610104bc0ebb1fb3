package com.sheratan.offgrid.core;

import com.sheratan.offgrid.config.EscapingLogger;
import com.sheratan.offgrid.contract.Json;
import com.sheratan.offgrid.contract.JsonAnswer;
import java.util.Map;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.slf4j.Logger;

/**
 * A job handed over by a user route ({@code direct:offgrid-submit}): the body is a job document of
 * SPEC 2 — JSON text or bytes, or a map — refused with 400 like an HTTP body when it is no job.
 */
public final class RouteJobIntake implements Processor {
    private static final Logger LOG = EscapingLogger.of(RouteJobIntake.class);

    private final JobDocumentReader reader;
    private final JobIntake intake;

    public RouteJobIntake(JobDocumentReader reader, JobIntake intake) {
        this.reader = reader;
        this.intake = intake;
    }

    @Override
    public void process(Exchange exchange) throws Exception {
        Object body = exchange.getMessage().getBody();
        byte[] bytes = body instanceof Map<?, ?> map ? Json.mapper().writeValueAsBytes(map)
                : exchange.getMessage().getBody(byte[].class);
        IncomingJob job;
        try {
            job = reader.read(bytes);
        } catch (InvalidJobException e) {
            LOG.info("refused a job from route {}: {}", exchange.getFromRouteId(), e.getMessage());
            JsonAnswer.refuse(exchange, 400, "invalid_job", e.getMessage());
            return;
        }
        intake.admit(exchange, job, "route", LOG);
    }
}
