package com.sheratan.offgrid.drills;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.sheratan.offgrid.testing.Http;
import com.sheratan.offgrid.testing.Ports;
import com.sheratan.offgrid.testing.RoleProcess;
import com.sheratan.offgrid.testing.TestPostgres;
import java.io.UncheckedIOException;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Drill: two cores (separate processes) on one PostgreSQL job store, behind no balancer. Jobs go to
 * the cores in turn, every fifth job_id to both at once; a third of the way in, core A is SIGKILLed.
 * A client whose core is gone sends the job to the other core, as a client without a balancer would.
 * Afterwards every job is completed, queued or failed exactly once, and no job ran twice on a host:
 * core A's jobs left dispatching are taken over by core B when A's lease runs out, with their attempt_id.
 */
@Tag("drill")
class TwoCoresOnePostgresDrillTest {
    private static final int CLIENTS = 16;

    @TempDir
    Path home;

    @Test
    void everyJobEndsOnceWhenOneOfTwoCoresIsKilledMidLoad() throws Exception {
        int jobs = JobAudit.scale(300, 3000);
        try (TestPostgres postgres = TestPostgres.start(false);
             DrillMesh mesh = new DrillMesh(home, Map.of())) {
            mesh.hostInJvm("host-a", Map.of());
            mesh.hostInJvm("host-b", Map.of());
            mesh.brokerInJvm(Map.of());
            Map<String, String> shared = Map.of("offgrid.mode", "auto", "offgrid.core.job-store", "postgres",
                    "offgrid.core.jdbc-url", postgres.newDatabase(), "offgrid.core.jdbc-user", TestPostgres.USER,
                    "offgrid.core.dispatch-lease-ms", "3000", "offgrid.core.dispatch-lease-renew-ms", "500");
            int portA = Ports.free();
            int portB = Ports.free();
            RoleProcess coreA = mesh.coreProcess("core-a", portA, shared);
            RoleProcess coreB = mesh.coreProcess("core-b", portB, shared);
            String urlA = "http://127.0.0.1:" + portA;
            String urlB = "http://127.0.0.1:" + portB;

            Set<String> ids = ConcurrentHashMap.newKeySet();
            ConcurrentLinkedQueue<String> unexpected = new ConcurrentLinkedQueue<>();
            AtomicInteger next = new AtomicInteger();
            AtomicBoolean killed = new AtomicBoolean();
            Http http = new Http();
            ExecutorService clients = Executors.newFixedThreadPool(CLIENTS);
            for (int c = 0; c < CLIENTS; c++) {
                clients.submit(() -> {
                    int i;
                    while ((i = next.getAndIncrement()) < jobs) {
                        if (i == jobs / 3 && killed.compareAndSet(false, true)) {
                            coreA.kill();
                        }
                        String id = "two-cores-" + i;
                        ids.add(id);
                        String job = "{\"job_id\":\"" + id + "\",\"kind\":\"echo\",\"payload\":{\"text\":\"" + i + "\"}}";
                        String first = i % 2 == 0 ? urlA : urlB;
                        if (i % 5 == 0) {
                            // the same job_id to both cores at once
                            String other = first.equals(urlA) ? urlB : urlA;
                            var twin = java.util.concurrent.CompletableFuture.runAsync(() -> send(http, other, job, id,
                                    unexpected));
                            send(http, first, job, id, unexpected);
                            twin.join();
                        } else if (!send(http, first, job, id, unexpected)) {
                            // the core is gone: the client tries the other one
                            send(http, first.equals(urlA) ? urlB : urlA, job, id, unexpected);
                        }
                    }
                    return null;
                });
            }
            clients.shutdown();
            assertTrue(clients.awaitTermination(10, TimeUnit.MINUTES), "the load finished");
            assertTrue(killed.get(), "core A was killed mid-load");

            JobAudit.Outcome outcome = JobAudit.audit(urlB, mesh.fileQueue(), ids, Duration.ofSeconds(90));
            long executions = hostRuns(mesh, "host-a") + hostRuns(mesh, "host-b");
            Map<String, Integer> runs = JobAudit.runsOnHosts(home);
            String takeOvers = java.nio.file.Files.readAllLines(coreB.log()).stream()
                    .filter(line -> line.contains("takes over")).toList().toString();
            System.out.println("drill (two cores on one PostgreSQL, core A killed after " + jobs / 3 + " of " + jobs
                    + " jobs): " + outcome + "; host executions " + executions + "; core B: " + takeOvers);
            assertEquals(List.of(), outcome.lost(), "no job may be lost");
            assertEquals(List.of(), List.copyOf(unexpected), "every answer is one the contract allows");
            assertEquals(List.of(), runs.entrySet().stream().filter(run -> run.getValue() > 1).toList(),
                    "no job ran twice (attempt records of both hosts)");
            assertEquals(executions, runs.values().stream().mapToInt(Integer::intValue).sum(),
                    "the hosts' counts of settled runs and their attempt records agree");
            // a job can end failed after its one run: the run's answer was lost with core A, and core B's
            // dispatch of the same attempt got no outcome either (the reasons are in the line above)
            assertTrue(executions >= outcome.completed() && executions <= outcome.completed() + outcome.failed(),
                    "each completed job ran once, a failed one at most once: " + outcome + ", " + executions + " runs");
        }
    }

    /**
     * Sends one job; false when the core could not be reached (killed). Any answer must be one of the
     * contract's: 200 with an outcome, 202 queued or already known.
     */
    private static boolean send(Http http, String coreUrl, String job, String id, ConcurrentLinkedQueue<String> unexpected) {
        HttpResponse<String> answer;
        try {
            answer = http.postJson(coreUrl + "/api/jobs", job);
        } catch (UncheckedIOException e) {
            return false;
        }
        if (answer.statusCode() != 200 && answer.statusCode() != 202) {
            unexpected.add(id + " -> " + answer.statusCode() + " " + answer.body());
        }
        return true;
    }

    private static long hostRuns(DrillMesh mesh, String nodeId) {
        JsonNode status = Http.json(new Http().get(mesh.hostUrl(nodeId) + "/status"));
        return status.path("jobs").path("done").asLong();
    }
}
