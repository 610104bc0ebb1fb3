package com.sheratan.offgrid.drills;

import com.fasterxml.jackson.databind.JsonNode;
import com.sheratan.offgrid.testing.Http;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The audit every drill ends with: each submitted job_id is accounted for exactly once, as
 * {@code completed}, {@code failed} with a reason, or {@code queued} with its file in
 * {@code webrelay_out/}. Anything else — unknown to the core, stuck, or queued without a file —
 * counts as lost.
 */
final class JobAudit {
    record Outcome(int sent, int completed, int queued, int failed, List<String> lost, Set<String> queuedIds) {
        @Override
        public String toString() {
            return String.format("sent %d, completed %d, queued %d, failed %d, lost %d%s", sent, completed, queued,
                    failed, lost.size(), lost.isEmpty() ? "" : " " + lost.subList(0, Math.min(10, lost.size())));
        }
    }

    private JobAudit() {
    }

    /** Waits (up to {@code settle}) for jobs still pending or dispatching, then counts. */
    static Outcome audit(String coreUrl, Path fileQueue, Collection<String> jobIds, Duration settle) {
        Http http = new Http();
        long deadline = System.nanoTime() + settle.toNanos();
        Map<String, String> problems = new TreeMap<>();
        int completed = 0;
        int queued = 0;
        int failed = 0;
        Set<String> queuedIds = new TreeSet<>();
        for (String id : jobIds) {
            while (true) {
                HttpResponse<String> response = http.get(coreUrl + "/api/jobs/" + id);
                String problem = null;
                String status = null;
                if (response.statusCode() != 200) {
                    problem = "HTTP " + response.statusCode();
                } else {
                    JsonNode job = Http.json(response);
                    status = job.path("status").asText();
                    switch (status) {
                        case "completed" -> {
                        }
                        case "failed" -> {
                            if (job.path("reason").asText("").isBlank()) {
                                problem = "failed without a reason";
                            }
                        }
                        case "queued" -> {
                            if (!Files.isRegularFile(fileQueue.resolve(id + ".job.json"))) {
                                problem = "queued but " + id + ".job.json is missing";
                            }
                        }
                        default -> problem = "still " + status;
                    }
                }
                if (problem == null) {
                    switch (status) {
                        case "completed" -> completed++;
                        case "failed" -> failed++;
                        default -> {
                            queued++;
                            queuedIds.add(id);
                        }
                    }
                    break;
                }
                if (System.nanoTime() > deadline) {
                    problems.put(id, problem);
                    break;
                }
                sleep(100);
            }
        }
        return new Outcome(jobIds.size(), completed, queued, failed, new ArrayList<>(problems.keySet().stream()
                .map(id -> id + ": " + problems.get(id)).toList()), queuedIds);
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Scale of a drill: the short CI version by default, the full one with -Ddrills.full=true. */
    static int scale(int shortCount, int fullCount) {
        return Boolean.getBoolean("drills.full") ? fullCount : shortCount;
    }
}
