package com.sheratan.offgrid.host;

import static com.sheratan.offgrid.testing.Http.json;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.sheratan.offgrid.launch.RunningRole;
import com.sheratan.offgrid.testing.Ports;
import com.sheratan.offgrid.testing.TestRoles;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** SPEC 6: a nonce seen in the last 600 s gets 401 — across a restart of the receiver too. */
class ReplayAfterRestartTest {
    @TempDir
    Path home;

    @Test
    void requestCapturedBeforeARestartIsRefusedAfterIt() {
        String port = String.valueOf(Ports.free());
        byte[] off = HostCalls.utf8("{\"active\":false}");
        Map<String, String> captured;
        try (TestRoles roles = new TestRoles(home)) {
            RunningRole host = roles.host("host-a", Map.of("offgrid.host.port", port));
            HostCalls calls = new HostCalls(host);
            captured = calls.signedHeaders("/active", off);
            HttpResponse<String> first = calls.http.post(host.baseUrl() + "/active", off, captured);
            assertEquals(200, first.statusCode(), first.body());
            byte[] on = HostCalls.utf8("{\"active\":true}");
            assertEquals(200, calls.http.post(host.baseUrl() + "/active", on, calls.signedHeaders("/active", on))
                    .statusCode());
        }
        try (TestRoles roles = new TestRoles(home)) {
            RunningRole host = roles.host("host-a", Map.of("offgrid.host.port", port));
            HostCalls calls = new HostCalls(host);
            HttpResponse<String> replayed = calls.http.post(host.baseUrl() + "/active", off, captured);
            assertEquals(401, replayed.statusCode(), replayed.body());
            assertEquals("replayed_nonce", json(replayed).get("error").asText());
            assertEquals(true, json(calls.get("/status")).get("active").asBoolean(), "the replay switched nothing");
        }
    }
}
