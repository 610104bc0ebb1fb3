package com.sheratan.offgrid.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import com.sheratan.offgrid.launch.MeshLayout;
import com.sheratan.offgrid.config.Settings;
import com.sheratan.offgrid.security.AuthKeys;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The benchmark and the mesh it starts sign and check with the same keys, whatever .env files or variables say. */
class BenchmarkKeysTest {
    @TempDir
    Path home;

    @Test
    void childMeshChecksTheKeysTheBenchmarkSignsWithDespiteDotEnvAndVariables() throws Exception {
        Benchmark benchmark = new Benchmark(1, 1, 1, 1, List.of(), Set.of(), "file");
        MeshLayout layout = MeshLayout.onFreePorts(home);
        Files.writeString(home.resolve(".env"), "OFFGRID_AUTH_KEY=a-secret-only-the-dot-env-knows\n");
        Map<String, String> inherited = Map.of("OFFGRID_AUTH_KEYS", "old:first-secret,new:second-secret",
                "OFFGRID_AUTH_KEY_ID", "new");
        Map<String, String> env = new HashMap<>(inherited);
        env.putAll(benchmark.meshEnvironment());
        Map<String, String> commandLine = benchmark.meshSettings(layout, "auto");

        // what the child process resolves: its --home, its environment, the --set settings
        Settings resolved = Settings.load(home, env, commandLine);
        AuthKeys mesh = AuthKeys.from(key -> resolved.get(key, null));

        assertEquals(benchmark.keys(), mesh);
        assertFalse(commandLine.containsValue(benchmark.keys().signingSecret()), "the secret stays off the command line");
    }
}
