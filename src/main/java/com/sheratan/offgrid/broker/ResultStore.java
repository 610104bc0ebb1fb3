package com.sheratan.offgrid.broker;

import java.util.LinkedHashMap;
import java.util.Map;

/** The last auction answer per job_id, for {@code GET /results/{job_id}}; the oldest are forgotten past the limit. */
public final class ResultStore {
    private final Map<String, byte[]> byJobId;

    public ResultStore(int limit) {
        this.byJobId = new LinkedHashMap<>(16, 0.75f, false) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, byte[]> eldest) {
                return size() > limit;
            }
        };
    }

    public synchronized void put(String jobId, byte[] answer) {
        byJobId.remove(jobId);
        byJobId.put(jobId, answer);
    }

    public synchronized byte[] get(String jobId) {
        return byJobId.get(jobId);
    }
}
