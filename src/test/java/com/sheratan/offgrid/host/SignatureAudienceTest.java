package com.sheratan.offgrid.host;

import static com.sheratan.offgrid.testing.Http.json;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sheratan.offgrid.launch.RunningRole;
import com.sheratan.offgrid.security.RequestSigner;
import com.sheratan.offgrid.security.SignedHeaders;
import com.sheratan.offgrid.testing.TestRoles;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A signed request is good at the receiver it names (X-Offgrid-Audience) and refused by every other. */
class SignatureAudienceTest {
    @TempDir
    Path home;

    @Test
    void runCapturedOnItsWayToOneHostIsRefusedByAnother() {
        try (TestRoles roles = new TestRoles(home)) {
            RunningRole hostA = roles.host("host-a", Map.of());
            RunningRole hostB = roles.host("host-b", Map.of());
            HostCalls toA = new HostCalls(hostA);
            byte[] body = HostCalls.runBody(HostCalls.job("write_file", Map.of("path", "x.txt", "content", "once")));
            Map<String, String> captured = toA.signedHeaders("/run", body);

            HttpResponse<String> elsewhere = toA.http.post(hostB.baseUrl() + "/run", body, captured);
            assertEquals(401, elsewhere.statusCode(), elsewhere.body());
            assertEquals("wrong_audience", json(elsewhere).get("error").asText());
            assertEquals("Offgrid-HMAC", elsewhere.headers().firstValue("WWW-Authenticate").orElse(""));
            assertEquals(0, json(new HostCalls(hostB).get("/status")).get("jobs").get("done").asInt(),
                    "host-b ran nothing");

            // the refusal did not burn the nonce: the host it was meant for still takes it, once
            HttpResponse<String> meant = toA.http.post(hostA.baseUrl() + "/run", body, captured);
            assertEquals(200, meant.statusCode(), meant.body());
        }
    }

    @Test
    void switchOffMeantForOneHostDoesNotSwitchAnother() {
        try (TestRoles roles = new TestRoles(home)) {
            RunningRole hostA = roles.host("host-a", Map.of());
            HostCalls toB = new HostCalls(roles.host("host-b", Map.of()));
            byte[] off = HostCalls.utf8("{\"active\":false}");

            HttpResponse<String> refused = toB.http.post(hostA.baseUrl() + "/active", off, toB.signedHeaders("/active", off));
            assertEquals(401, refused.statusCode(), refused.body());
            assertEquals("wrong_audience", json(refused).get("error").asText());
            assertEquals(true, json(new HostCalls(hostA).get("/status")).get("active").asBoolean());
        }
    }

    @Test
    void hostRefusesARequestSignedForTheBroker() {
        try (TestRoles roles = new TestRoles(home)) {
            HostCalls calls = new HostCalls(roles.host("host-a", Map.of()));
            ObjectNode job = HostCalls.job("echo", Map.of("text", "hi"));
            byte[] body = HostCalls.runBody(job);
            Map<String, String> forBroker = new HashMap<>(new RequestSigner(HostCalls.KEYS)
                    .sign("POST", "/run", SignedHeaders.BROKER_AUDIENCE, body).asMap());
            forBroker.put("Content-Type", "application/json");
            HttpResponse<String> refused = calls.http.post(calls.get("/status").uri().resolve("/run").toString(), body,
                    forBroker);
            assertEquals(401, refused.statusCode(), refused.body());
            assertEquals("wrong_audience", json(refused).get("error").asText());
        }
    }
}
