package com.sheratan.offgrid.launch;

import com.sheratan.offgrid.config.Settings;
import com.sheratan.offgrid.core.CoreRestore;
import com.sheratan.offgrid.security.AuthKeys;
import java.io.PrintStream;
import java.util.Map;

/** {@code restore --home DIR [--set k=v]}: a lost core's object index and job store, rebuilt from the mesh. */
final class RestoreCommand {
    private RestoreCommand() {
    }

    static int run(Map<String, String> overrides, PrintStream out, PrintStream err) {
        try {
            Settings settings = Settings.load(overrides);
            CoreRestore.Report report = CoreRestore.run(key -> settings.get(key, null), AuthKeys.from(key -> settings.get(key, null)),
                    settings.get("offgrid.broker-url"), settings.path("offgrid.core.state-dir"));
            out.println("restore ok: " + report.objects() + " objects indexed, " + report.jobs() + " jobs restored into "
                    + settings.path("offgrid.core.state-dir")
                    + (report.unreadable() == 0 ? "" : "; " + report.unreadable() + " job records could not be read"));
            return report.unreadable() == 0 ? 0 : 1;
        } catch (Exception e) {
            err.println("restore FAILED: " + e.getMessage());
            return 1;
        }
    }
}
