package com.sheratan.offgrid.core;

import com.sheratan.offgrid.config.EscapingLogger;
import com.sheratan.offgrid.contract.JsonAnswer;
import java.util.Locale;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.Processor;
import org.slf4j.Logger;

/**
 * {@code POST /api/jobs}: refuses what is not a job (415, 413, 400 — nothing stored), answers a known
 * job_id as it stands, and otherwise records the job and lets the route dispatch it.
 */
public final class HttpJobIntake implements Processor {
    private static final Logger LOG = EscapingLogger.of(HttpJobIntake.class);

    private final JobDocumentReader reader;
    private final JobIntake intake;
    private final long maxBodyBytes;

    public HttpJobIntake(JobDocumentReader reader, JobIntake intake, long maxBodyBytes) {
        this.reader = reader;
        this.intake = intake;
        this.maxBodyBytes = maxBodyBytes;
    }

    @Override
    public void process(Exchange exchange) {
        Message in = exchange.getMessage();
        String contentType = in.getHeader(Exchange.CONTENT_TYPE, "", String.class);
        if (!isJson(contentType)) {
            JsonAnswer.refuse(exchange, 415, "unsupported_media_type",
                    "send the job as Content-Type: application/json, got '" + contentType + "'");
            return;
        }
        Long declared = in.getHeader("Content-Length", Long.class);
        if (declared != null && declared > maxBodyBytes) {
            refuseTooLarge(exchange, declared);
            return;
        }
        byte[] body = in.getBody(byte[].class);
        if (body != null && body.length > maxBodyBytes) {
            refuseTooLarge(exchange, body.length);
            return;
        }
        IncomingJob job;
        try {
            job = reader.read(body);
        } catch (InvalidJobException e) {
            LOG.info("refused POST /api/jobs: {}", e.getMessage());
            JsonAnswer.refuse(exchange, 400, "invalid_job", e.getMessage());
            return;
        }
        intake.admit(exchange, job, "http", LOG);
    }

    private void refuseTooLarge(Exchange exchange, long size) {
        JsonAnswer.refuse(exchange, 413, "payload_too_large",
                "the job is " + size + " bytes; the limit is " + maxBodyBytes + " bytes (offgrid.core.max-body-bytes)");
    }

    static boolean isJson(String contentType) {
        String type = contentType.toLowerCase(Locale.ROOT).split(";", 2)[0].strip();
        return type.equals("application/json") || type.startsWith("application/") && type.endsWith("+json");
    }
}
