package com.sheratan.offgrid.core;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sheratan.offgrid.contract.Json;
import com.sheratan.offgrid.contract.JsonAnswer;
import java.util.List;
import org.apache.camel.Exchange;
import org.apache.camel.Message;

/** {@code GET /api/jobs/{id}} and {@code GET /api/jobs?limit=&offset=} (newest first). */
public final class JobQueries {
    private static final int MAX_PAGE = 500;

    private final JobLookup jobs;
    private final int defaultPageSize;

    public JobQueries(JobLookup jobs, int defaultPageSize) {
        this.jobs = jobs;
        this.defaultPageSize = defaultPageSize;
    }

    public void one(Exchange exchange) {
        String jobId = exchange.getMessage().getHeader("id", String.class);
        jobs.find(jobId).ifPresentOrElse(
                job -> JsonAnswer.ok(job.toJson()).writeTo(exchange.getMessage()),
                () -> JsonAnswer.refuse(exchange, 404, "not_found", "no job with job_id '" + jobId + "'"));
    }

    public void page(Exchange exchange) {
        Message in = exchange.getMessage();
        int limit;
        long offset;
        try {
            limit = Integer.parseInt(in.getHeader("limit", String.valueOf(defaultPageSize), String.class));
            offset = Long.parseLong(in.getHeader("offset", "0", String.class));
        } catch (NumberFormatException e) {
            JsonAnswer.refuse(exchange, 400, "invalid_query", "limit and offset must be whole numbers");
            return;
        }
        if (limit < 1 || limit > MAX_PAGE || offset < 0) {
            JsonAnswer.refuse(exchange, 400, "invalid_query", "limit must be 1.." + MAX_PAGE + " and offset >= 0");
            return;
        }
        List<JobRecord> found = jobs.page(limit + 1, offset);
        ObjectNode page = Json.object();
        ArrayNode list = page.putArray("jobs");
        found.stream().limit(limit).forEach(job -> list.add(job.toJson()));
        page.put("limit", limit);
        page.put("offset", offset);
        if (found.size() > limit) {
            page.put("next_offset", offset + limit);
        } else {
            page.putNull("next_offset");
        }
        new JsonAnswer(200, page).writeTo(exchange.getMessage());
    }
}
