package com.sheratan.offgrid.core;

import com.fasterxml.jackson.databind.JsonNode;
import com.sheratan.offgrid.config.EscapingLogger;
import com.sheratan.offgrid.contract.Json;
import com.sheratan.offgrid.core.objects.Manifests;
import com.sheratan.offgrid.core.objects.ObjectStore;
import com.sheratan.offgrid.core.objects.StorageConfiguration;
import com.sheratan.offgrid.core.objects.StorageKey;
import com.sheratan.offgrid.security.AuthKeys;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.slf4j.Logger;

/**
 * {@code restore --home DIR}: rebuilds a lost core's state from the mesh alone (SPEC 13): the object
 * index from the sealed {@code m-} manifests on every host the broker knows, then the job store from
 * the backed-up job records ({@code _offgrid/jobs/}) into the embedded job store (a core whose jobs
 * are in PostgreSQL lost none with its folder: only the index is rebuilt). Needs the same storage key
 * and the broker (which reads the same discovery file); never makes a new storage key.
 */
public final class CoreRestore {
    private static final Logger LOG = EscapingLogger.of(CoreRestore.class);

    /** What a restore did. */
    public record Report(int objects, int jobs, int unreadable) {
    }

    private CoreRestore() {
    }

    public static Report run(Function<String, String> settings, AuthKeys keys, String brokerUrl, Path stateDir)
            throws IOException {
        String key = settings.apply(StorageKey.SETTING);
        if ((key == null || key.isBlank()) && !Files.isRegularFile(stateDir.resolve(StorageKey.FILE))) {
            throw new IllegalStateException("restore needs the storage key the objects were written with: set"
                    + " OFFGRID_STORAGE_KEY, or copy your backup of storage.key to " + stateDir.resolve(StorageKey.FILE));
        }
        ObjectStore store = StorageConfiguration.open(settings, keys, brokerUrl, stateDir, null, Clock.systemUTC());
        int objects = store.rebuildIndex();
        String jobStore = settings.apply("offgrid.core.job-store");
        if (jobStore != null && JobStoreSettings.POSTGRES.equals(jobStore.strip())) {
            LOG.info("restore: {} objects indexed; the jobs live in PostgreSQL (offgrid.core.job-store=postgres),"
                    + " not in {}, so none were lost with it and none are restored", objects, stateDir);
            return new Report(objects, 0, 0);
        }
        List<JsonNode> records = new ArrayList<>();
        int unreadable = 0;
        for (String jobKey : Manifests.keys(store, JobBackup.KEY_PREFIX)) {
            try {
                records.add(Json.mapper().readTree(store.read(jobKey)));
            } catch (Exception e) {
                unreadable++;
                LOG.error("restore: job record {} cannot be read from the mesh: {}", jobKey, e.getMessage());
            }
        }
        int jobs = JobBackup.restore(stateDir, records);
        LOG.info("restore: {} objects indexed, {} jobs restored into {}{}", objects, jobs, stateDir,
                unreadable == 0 ? "" : ", " + unreadable + " job records unreadable");
        return new Report(objects, jobs, unreadable);
    }
}
