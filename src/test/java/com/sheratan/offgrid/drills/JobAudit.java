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
    record Outcome(int sent, int completed, int queued, int failed, List<String> lost, Set<String> queuedIds,
                   List<String> failures) {
        @Override
        public String toString() {
            return String.format("sent %d, completed %d, queued %d, failed %d%s, lost %d%s", sent, completed, queued,
                    failed, failures.isEmpty() ? "" : " " + failures.subList(0, Math.min(5, failures.size())),
                    lost.size(), lost.isEmpty() ? "" : " " + lost.subList(0, Math.min(10, lost.size())));
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
        List<String> failures = new ArrayList<>();
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
                            } else {
                                failures.add(id + ": " + job.path("reason").asText());
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
                .map(id -> id + ": " + problems.get(id)).toList()), queuedIds, failures);
    }

    /**
     * How many times each job ran on a host, from the hosts' attempt records
     * ({@code state/hosts/<node>/attempts/}: one per attempt a host settled, whatever its outcome).
     */
    static Map<String, Integer> runsOnHosts(Path home) {
        Map<String, Integer> runs = new TreeMap<>();
        try (java.util.stream.Stream<Path> records = Files.walk(home.resolve("state/hosts"))) {
            for (Path record : records.filter(p -> p.getParent().getFileName().toString().equals("attempts")
                    && p.getFileName().toString().endsWith(".json")).toList()) {
                JsonNode kept = com.sheratan.offgrid.contract.Json.mapper().readTree(Files.readAllBytes(record));
                runs.merge(kept.path("body").path("job_id").asText(), 1, Integer::sum);
            }
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return runs;
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
