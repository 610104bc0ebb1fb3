package com.sheratan.offgrid.core;

import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.apache.camel.Service;
import org.apache.camel.support.service.ServiceHelper;

/**
 * The job store without the rest of the core: opened as the core opens it, its services started in
 * the order Camel starts them and stopped, in reverse, on close.
 */
final class TestJobStore implements AutoCloseable {
    private final JobStore store;

    private TestJobStore(JobStore store) {
        this.store = store;
    }

    static TestJobStore open(Path stateDir) {
        return open(stateDir, "");
    }

    /** {@code h2Settings}: more H2 settings for the database URL (e.g. {@code ";RETENTION_TIME=0"}). */
    static TestJobStore open(Path stateDir, String h2Settings) {
        JobStore store = JobStore.open(stateDir, Clock.systemUTC(), h2Settings);
        ServiceHelper.startService(store.services());
        return new TestJobStore(store);
    }

    JobRecorder recorder() {
        return store.recorder();
    }

    JobLookup lookup() {
        return store.lookup();
    }

    List<InterruptedJob> interrupted() {
        return store.interrupted();
    }

    /** As the core stops; also what a killed core leaves on disk, as every write is committed when it returns. */
    @Override
    public void close() {
        List<Service> services = new ArrayList<>(store.services());
        Collections.reverse(services);
        ServiceHelper.stopService(services);
    }
}
