package com.sheratan.offgrid.drills;

import com.sheratan.offgrid.testing.Http;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntPredicate;

/**
 * A load of echo jobs from 16 concurrent clients, with a fault injected once a third of them were
 * submitted. Returns every job_id sent and every answer whose status the drill did not expect.
 */
final class JobLoad {
    record Sent(Set<String> ids, List<String> unexpected) {
    }

    private JobLoad() {
    }

    static Sent submit(String coreUrl, String prefix, int jobs, Runnable faultAtAThird, IntPredicate expectedStatus)
            throws InterruptedException {
        Set<String> ids = ConcurrentHashMap.newKeySet();
        ConcurrentLinkedQueue<String> unexpected = new ConcurrentLinkedQueue<>();
        AtomicInteger next = new AtomicInteger();
        ExecutorService clients = Executors.newFixedThreadPool(16);
        Http http = new Http();
        for (int c = 0; c < 16; c++) {
            clients.submit(() -> {
                int i;
                while ((i = next.getAndIncrement()) < jobs) {
                    if (i == jobs / 3) {
                        faultAtAThird.run();
                    }
                    String id = prefix + i;
                    HttpResponse<String> r = http.postJson(coreUrl + "/api/jobs",
                            "{\"job_id\":\"" + id + "\",\"kind\":\"echo\",\"payload\":{\"text\":\"" + i + "\"}}");
                    ids.add(id);
                    if (!expectedStatus.test(r.statusCode())) {
                        unexpected.add(id + " -> " + r.statusCode() + " " + r.body());
                    }
                }
                return null;
            });
        }
        clients.shutdown();
        if (!clients.awaitTermination(10, TimeUnit.MINUTES)) {
            throw new IllegalStateException("the load did not finish within 10 minutes");
        }
        return new Sent(ids, List.copyOf(unexpected));
    }
}
