package com.sheratan.offgrid.core;

import java.math.BigDecimal;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sheratan.offgrid.contract.Json;
import com.sheratan.offgrid.contract.JsonAnswer;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.camel.Exchange;
import org.apache.camel.Message;

/** {@code GET /api/jobs/{id}} and {@code GET /api/jobs?status=&method=&mission_id=&limit=&offset=} (newest first;
 * an unknown parameter or value is refused with 400). */
public final class JobQueries {
    private static final int MAX_PAGE = 500;
    private static final List<String> PARAMETERS = List.of("status", "method", "mission_id", "limit", "offset");
    private static final List<String> STATUSES = java.util.Arrays.stream(JobStatus.values()).map(JobStatus::value)
            .toList();
    private static final List<String> METHODS = List.of("offgrid", "file_queue");

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

    /**
     * {@code GET /api/missions/{mission_id}/cost}: the total the broker's ledger charged for a mission's
     * jobs, exact to 9 places, and each charged job ({@code none} = the jobs without a mission).
     */
    public void missionCost(Exchange exchange) {
        String missionId = exchange.getMessage().getHeader("mission_id", String.class);
        List<JobLookup.ChargedJob> charged = jobs.chargedJobs("none".equals(missionId) ? null : missionId);
        ObjectNode body = Json.object();
        body.put("mission_id", missionId);
        BigDecimal total = BigDecimal.ZERO.setScale(9);
        ArrayNode jobs = Json.mapper().createArrayNode();
        for (JobLookup.ChargedJob job : charged) {
            total = total.add(job.cost().decimal());
            ObjectNode item = job.cost().toJson();
            item.put("job_id", job.jobId());
            jobs.add(item);
        }
        body.put("total", total.toPlainString());
        body.put("charged_jobs", charged.size());
        body.set("jobs", jobs);
        JsonAnswer.ok(body).writeTo(exchange.getMessage());
    }

    public void page(Exchange exchange) {
        Map<String, String> query = query(exchange.getMessage().getHeader(Exchange.HTTP_QUERY, "", String.class));
        for (String name : query.keySet()) {
            if (!PARAMETERS.contains(name)) {
                JsonAnswer.refuse(exchange, 400, "invalid_query", "unknown parameter '" + name + "'; use "
                        + String.join(", ", PARAMETERS));
                return;
            }
        }
        int limit;
        long offset;
        try {
            limit = Integer.parseInt(given(query, "limit").orElse(String.valueOf(defaultPageSize)));
            offset = Long.parseLong(given(query, "offset").orElse("0"));
        } catch (NumberFormatException e) {
            JsonAnswer.refuse(exchange, 400, "invalid_query", "limit and offset must be whole numbers");
            return;
        }
        if (limit < 1 || limit > MAX_PAGE || offset < 0) {
            JsonAnswer.refuse(exchange, 400, "invalid_query", "limit must be 1.." + MAX_PAGE + " and offset >= 0");
            return;
        }
        Optional<String> status = given(query, "status");
        if (status.isPresent() && !STATUSES.contains(status.get())) {
            JsonAnswer.refuse(exchange, 400, "invalid_query", "unknown status '" + status.get() + "'; use one of "
                    + String.join("|", STATUSES));
            return;
        }
        Optional<String> method = given(query, "method");
        if (method.isPresent() && !METHODS.contains(method.get())) {
            JsonAnswer.refuse(exchange, 400, "invalid_query", "unknown method '" + method.get() + "'; use one of "
                    + String.join("|", METHODS));
            return;
        }
        JobFilter filter = new JobFilter(status, method, given(query, "mission_id"));
        List<JobRecord> found = jobs.page(filter, limit + 1, offset);
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

    /** A parameter with a value; an empty one counts as not given. */
    private static Optional<String> given(Map<String, String> query, String name) {
        return Optional.ofNullable(query.get(name)).filter(v -> !v.isEmpty());
    }

    /** The query string's parameters, decoded (a name without a value maps to ""). */
    static Map<String, String> query(String raw) {
        Map<String, String> out = new LinkedHashMap<>();
        if (raw == null || raw.isEmpty()) {
            return out;
        }
        for (String pair : raw.split("&")) {
            int eq = pair.indexOf('=');
            String name = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            if (!name.isEmpty()) {
                out.put(name, value);
            }
        }
        return out;
    }
}
