package com.sheratan.offgrid.launch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sheratan.offgrid.config.RoleStartException;
import com.sheratan.offgrid.config.Settings;
import com.sheratan.offgrid.testing.Http;
import com.sheratan.offgrid.testing.TestRoles;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RoleLauncherTest {
    @TempDir
    Path home;

    @Test
    void portInUseStopsTheRoleWithAnErrorNamingThePort() throws IOException {
        try (ServerSocket taken = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
             TestRoles roles = new TestRoles(home)) {
            int port = taken.getLocalPort();
            RoleStartException e = assertThrows(RoleStartException.class,
                    () -> roles.broker(Map.of("offgrid.broker.port", String.valueOf(port))));
            assertTrue(e.getMessage().contains("port " + port + " is already in use"), e.getMessage());
        }
    }

    @Test
    void aBodyOverTheRequestLimitIsRefusedWith413AndTheRoleGoesOnServing() {
        try (TestRoles roles = new TestRoles(home)) {
            RunningRole host = roles.host("host-big", Map.of("offgrid.max-request-bytes", "10000"));
            Http http = new Http();
            byte[] big = ("{\"job_id\":\"j\",\"job\":{\"text\":\"" + "x".repeat(50_000) + "\"}}").getBytes();
            var refused = http.post(host.baseUrl() + "/run", big, Map.of("Content-Type", "application/json"));
            assertEquals(413, refused.statusCode(), "refused while it arrives, before the signature is even read");
            assertEquals("payload_too_large", Http.json(refused).path("error").asText(), refused.body());
            assertTrue(Http.json(refused).path("detail").asText().contains("offgrid.max-request-bytes"), refused.body());
            assertEquals(401, http.post(host.baseUrl() + "/run", "{\"job_id\":\"j\"}".getBytes(),
                    Map.of("Content-Type", "application/json")).statusCode(), "a small unsigned body reaches the check");
            assertEquals(200, http.get(host.baseUrl() + "/status").statusCode());
        }
    }

    @Test
    void aSettingThatIsNoNumberStopsEachRoleNamingTheSettingAndTheValue() {
        try (TestRoles roles = new TestRoles(home)) {
            RoleStartException core = assertThrows(RoleStartException.class,
                    () -> roles.core(Map.of("offgrid.core.broker-timeout-ms", "75s")));
            assertTrue(core.getMessage().contains("setting 'offgrid.core.broker-timeout-ms' must be a whole number,"
                    + " was '75s'"), core.getMessage());
            RoleStartException broker = assertThrows(RoleStartException.class,
                    () -> roles.broker(Map.of("offgrid.broker.redundancy", "two")));
            assertTrue(broker.getMessage().contains("setting 'offgrid.broker.redundancy' must be a whole number,"
                    + " was 'two'"), broker.getMessage());
            RoleStartException host = assertThrows(RoleStartException.class,
                    () -> roles.host("host-bad", Map.of("offgrid.host.attempt-keep-hours", "1.5")));
            assertTrue(host.getMessage().contains("setting 'offgrid.host.attempt-keep-hours' must be a whole number,"
                    + " was '1.5'"), host.getMessage());
            RoleStartException price = assertThrows(RoleStartException.class,
                    () -> roles.host("host-free", Map.of("offgrid.host.price.per-gb-hour", "-1")));
            assertTrue(price.getMessage().contains("setting 'offgrid.host.price.per-gb-hour' must be a price of at"
                    + " least 0, was '-1'"), price.getMessage());
        }
    }

    @Test
    void developmentSecretRefusesToBindOffLoopback() {
        try (TestRoles roles = new TestRoles(home)) {
            RoleStartException e = assertThrows(RoleStartException.class,
                    () -> roles.broker(Map.of("offgrid.bind-host", "0.0.0.0")));
            assertTrue(e.getMessage().contains("development secret"), e.getMessage());
        }
    }

    @Test
    void settingsComeFromEnvironmentThenDotEnvThenDefaults() throws IOException {
        Files.writeString(home.resolve(".env"), "# local settings\nOFFGRID_MODE=disabled\n"
                + "OFFGRID_BROKER_URL=\"http://127.0.0.1:9999\"\nexport OFFGRID_AUTH_KEY_ID=default\n");
        Settings fromDotEnv = Settings.load(home, Map.of(), Map.of());
        assertEquals("disabled", fromDotEnv.get("offgrid.mode"));
        assertEquals("http://127.0.0.1:9999", fromDotEnv.get("offgrid.broker-url"));

        Settings envWins = Settings.load(home, Map.of("OFFGRID_MODE", "offgrid"), Map.of());
        assertEquals("offgrid", envWins.get("offgrid.mode"));
        assertEquals(home.resolve("discovery/mesh_hosts.json").toAbsolutePath().normalize().toString(),
                envWins.get("offgrid.broker.discovery-file"));
    }

    @Test
    void eachRoleStartsOnItsOwnPortAndStopsCleanly() {
        try (TestRoles roles = new TestRoles(home)) {
            RunningRole host = roles.host("host-x", Map.of());
            RunningRole broker = roles.broker(Map.of());
            Http http = new Http();
            assertEquals(200, http.get(host.baseUrl() + "/ping").statusCode());
            assertEquals(200, http.get(broker.baseUrl() + "/ping").statusCode());
            roles.stop(host);
            assertThrows(RuntimeException.class, () -> http.get(host.baseUrl() + "/ping"));
        }
    }
}
