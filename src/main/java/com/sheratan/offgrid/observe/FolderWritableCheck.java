package com.sheratan.offgrid.observe;

import com.sheratan.offgrid.contract.AtomicFile;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.apache.camel.health.HealthCheckResultBuilder;

/**
 * Readiness: a folder the role must write to (the core's job store, its file queue) takes a small
 * file and lets it go again. A folder that is missing, a plain file, full or read-only is DOWN, with
 * the reason; the role is then not ready (SPEC 14), while it stays live.
 */
public final class FolderWritableCheck extends ReadinessCheck {
    private static final String PROBE = ".health-probe";
    private final Path folder;

    public FolderWritableCheck(String id, Path folder) {
        super(id);
        this.folder = folder;
    }

    @Override
    protected void doCall(HealthCheckResultBuilder builder, Map<String, Object> options) {
        builder.detail("folder", folder.toString());
        Path probe = folder.resolve(PROBE);
        try {
            // never through a link someone placed at the probe's name
            AtomicFile.write(probe, new byte[] {1}, AtomicFile.Sync.NOT_SYNCED);
            Files.delete(probe);
            builder.up();
        } catch (IOException | RuntimeException e) {
            builder.message("cannot write " + folder + ": " + e.getClass().getSimpleName() + ": " + e.getMessage());
            builder.down();
        }
    }
}
