package com.sheratan.offgrid.drills;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sheratan.offgrid.launch.RunningRole;
import com.sheratan.offgrid.testing.Eventually;
import com.sheratan.offgrid.testing.Http;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.camel.builder.NotifyBuilder;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Drill 4: the file queue cannot be written (a plain file stands where the folder should be — root
 * ignores permissions). Jobs are answered 503 and inbox files stay; once writable, they are processed.
 */
@Tag("drill")
class FileQueueUnwritableDrillTest {
    @TempDir
    Path home;

    @Test
    void unwritableQueueAnswers503AndKeepsInboxFilesUntilItIsWritableAgain() throws Exception {
        int jobs = JobAudit.scale(20, 200);
        Path queue = home.resolve("webrelay_out");
        Files.writeString(queue, "not a folder: the file queue cannot be written");
        try (DrillMesh mesh = new DrillMesh(home, Map.of())) {
            RunningRole core = mesh.coreInJvm(Map.of("offgrid.mode", "disabled"));
            Http http = new Http();

            List<String> refused = new ArrayList<>();
            for (int i = 0; i < jobs; i++) {
                String id = "drill4-http-" + i;
                HttpResponse<String> r = http.postJson(mesh.coreUrl() + "/api/jobs",
                        "{\"job_id\":\"" + id + "\",\"kind\":\"echo\",\"payload\":{\"text\":\"x\"}}");
                assertEquals(503, r.statusCode(), r.body());
                assertTrue(!r.body().contains("\"queued\""), "a job that was not written is not reported queued: " + r.body());
                refused.add(id);
            }
            Path inbox = Files.createDirectories(home.resolve("inbox"));
            NotifyBuilder tried = new NotifyBuilder(core.camelContext()).fromRoute("inbox-intake").whenDone(jobs).create();
            List<String> fileIds = new ArrayList<>();
            for (int i = 0; i < jobs; i++) {
                String id = "drill4-file-" + i;
                fileIds.add(id);
                Path tmp = home.resolve(id + ".tmp");
                Files.writeString(tmp, "{\"job_id\":\"" + id + "\",\"kind\":\"echo\",\"payload\":{\"text\":\"x\"}}");
                Files.move(tmp, inbox.resolve(id + ".json"));
            }
            assertTrue(tried.matches(60, TimeUnit.SECONDS), "the core did not try the inbox files");
            assertEquals(jobs, jsonFiles(inbox), "inbox files stay where they were while the queue is unwritable");

            Files.delete(queue);
            Files.createDirectories(queue);
            Eventually.holds(Duration.ofSeconds(60), Duration.ofMillis(100),
                    () -> assertEquals(0, jsonFiles(inbox), "once writable, the waiting files are processed"));
            JobAudit.Outcome files = JobAudit.audit(mesh.coreUrl(), queue, fileIds, Duration.ofSeconds(30));
            assertEquals(List.of(), files.lost());
            assertEquals(jobs, files.queued());

            // the refused HTTP jobs are accounted for as failed with a reason, and retryable: submitted again, they queue
            JobAudit.Outcome http503 = JobAudit.audit(mesh.coreUrl(), queue, refused, Duration.ofSeconds(5));
            System.out.println("drill 4 (file queue unwritable): inbox " + files + "; refused HTTP jobs " + http503);
            assertEquals(List.of(), http503.lost());
        }
    }

    private static int jsonFiles(Path dir) {
        try (Stream<Path> s = Files.list(dir)) {
            return (int) s.filter(p -> p.toString().endsWith(".json")).count();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
