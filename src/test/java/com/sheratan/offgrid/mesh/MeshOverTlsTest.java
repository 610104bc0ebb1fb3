package com.sheratan.offgrid.mesh;

import static com.sheratan.offgrid.testing.Http.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.sheratan.offgrid.launch.RunningRole;
import com.sheratan.offgrid.testing.Eventually;
import com.sheratan.offgrid.testing.Http;
import com.sheratan.offgrid.testing.Ports;
import com.sheratan.offgrid.testing.TestCertificates;
import com.sheratan.offgrid.testing.TestRoles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The mesh as it runs between machines, over HTTPS: every role serves its own certificate, issued by
 * a CA the test makes, and every caller verifies the receiver against that CA (loopback only here).
 */
class MeshOverTlsTest {
    private static final Duration WAIT = Duration.ofSeconds(20);

    @TempDir
    Path home;

    @Test
    void jobCrossesTheMeshOverTlsVerifiedAgainstTheMeshCa() throws IOException {
        TestCertificates ca = TestCertificates.authority(home.resolve("tls"), "mesh-ca");
        Http https = new Http(ca.clientContext());
        try (TestRoles roles = new TestRoles(home)) {
            int portA = Ports.free();
            int portB = Ports.free();
            discover("https://127.0.0.1:" + portA, "host-a", "https://127.0.0.1:" + portB, "host-b");
            RunningRole hostA = roles.host("host-a", tls(ca, "host-a", ca.caFile(), "offgrid.host.port", String.valueOf(portA)));
            roles.host("host-b", tls(ca, "host-b", ca.caFile(), "offgrid.host.port", String.valueOf(portB),
                    "offgrid.host.price.per-mtoken-infer", "1.5"));
            RunningRole broker = roles.broker(tls(ca, "broker", ca.caFile()));
            RunningRole core = roles.core(tls(ca, "core", ca.caFile(), "offgrid.broker-url", broker.baseUrl(),
                    "offgrid.core.probe-cache-ms", "0"));
            assertTrue(core.baseUrl().startsWith("https://127.0.0.1:"), core.baseUrl());
            assertTrue(broker.baseUrl().startsWith("https://127.0.0.1:"), broker.baseUrl());

            assertEquals("ok", json(https.get(hostA.baseUrl() + "/status")).path("status").asText());
            Eventually.holds(WAIT, () -> assertEquals(2, json(https.get(broker.baseUrl() + "/status"))
                    .path("hosts").path("active").asInt(), "the broker's health probes reach both hosts over TLS"));
            JsonNode status = json(https.get(core.baseUrl() + "/api/status"));
            assertEquals("ok", status.path("broker").path("state").asText(), "the core's signed probe over TLS: " + status);

            HttpResponse<String> answer = https.postJson(core.baseUrl() + "/api/jobs",
                    "{\"job_id\":\"tls-echo\",\"kind\":\"echo\",\"payload\":{\"text\":\"over tls\"}}");
            assertEquals(200, answer.statusCode(), answer.body());
            JsonNode job = json(answer);
            assertEquals("offgrid", job.path("method").asText(), answer.body());
            assertEquals("completed", job.path("status").asText(), answer.body());
            assertEquals("host-a", job.path("node_id").asText());
            assertEquals("https://127.0.0.1:" + portA, job.path("host").asText());
            assertEquals("over tls", job.path("result").path("text").asText());
            // the dashboard's ledger panel reads the broker over TLS too, trusting the mesh's CA
            Eventually.holds(WAIT, () -> {
                JsonNode ledger = json(https.get(core.baseUrl() + "/api/ledger"));
                assertTrue(ledger.path("verified").asBoolean(), ledger.toString());
            });
            JsonNode hosts = json(https.get(core.baseUrl() + "/api/mesh/hosts")).path("hosts");
            assertTrue(hosts.size() >= 1 && hosts.get(0).path("kinds").isArray(), "the hosts panel over TLS: " + hosts);

            // no plain HTTP on a TLS port: a plain client gets no answer
            assertThrows(UncheckedIOException.class, () -> new Http().get(hostA.baseUrl().replace("https:", "http:") + "/status"));
        }
    }

    @Test
    void callersRefuseAReceiverWhoseCertificateTheirCaDidNotIssue() throws IOException {
        TestCertificates meshCa = TestCertificates.authority(home.resolve("tls"), "mesh-ca");
        TestCertificates otherCa = TestCertificates.authority(home.resolve("tls-other"), "other-ca");
        Http https = new Http(meshCa.clientContext());
        try (TestRoles roles = new TestRoles(home)) {
            int portA = Ports.free();
            discover("https://127.0.0.1:" + portA, "host-a");
            roles.host("host-a", tls(meshCa, "host-a", meshCa.caFile(), "offgrid.host.port", String.valueOf(portA)));
            // the broker trusts another CA: host-a's certificate does not verify, so no host takes the job
            // (a health probe of a loaded machine may take longer than the default 1 s: the refusal must be seen)
            RunningRole broker = roles.broker(tls(meshCa, "broker", otherCa.caFile(),
                    "offgrid.broker.health-timeout-ms", "20000", "offgrid.broker.quote-timeout-ms", "20000"));
            RunningRole core = roles.core(tls(meshCa, "core", meshCa.caFile(), "offgrid.broker-url", broker.baseUrl(),
                    "offgrid.mode", "offgrid", "offgrid.core.broker-retries", "0", "offgrid.core.probe-cache-ms", "0"));
            HttpResponse<String> noHost = https.postJson(core.baseUrl() + "/api/jobs",
                    "{\"job_id\":\"tls-untrusted-host\",\"kind\":\"echo\",\"payload\":{\"text\":\"x\"}}");
            assertEquals(503, noHost.statusCode(), noHost.body());
            assertTrue(noHost.body().contains("no_hosts"), noHost.body());
            JsonNode hosts = json(https.get(broker.baseUrl() + "/hosts"));
            assertTrue(hosts.toString().contains("certif") || hosts.toString().contains("SSL")
                    || hosts.toString().contains("PKIX"), "the broker says why: " + hosts);

            // a core that trusts another CA does not reach the mesh's broker at all
            RunningRole doubting = roles.core(tls(meshCa, "core-2", otherCa.caFile(), "offgrid.broker-url", broker.baseUrl(),
                    "offgrid.mode", "auto", "offgrid.core.broker-retries", "0", "offgrid.core.probe-cache-ms", "0",
                    "offgrid.core.state-dir", home.resolve("state/core-2").toString()));
            JsonNode probe = json(https.get(doubting.baseUrl() + "/api/status")).path("broker");
            assertEquals("unreachable", probe.path("state").asText(), probe.toString());
            HttpResponse<String> queued = https.postJson(doubting.baseUrl() + "/api/jobs",
                    "{\"job_id\":\"tls-untrusted-broker\",\"kind\":\"echo\",\"payload\":{\"text\":\"x\"}}");
            assertEquals(202, queued.statusCode(), queued.body());
            assertEquals("broker_unreachable", json(queued).path("reason").asText(), queued.body());
            assertFalse(queued.body().contains("completed"));
        }
    }

    /** Settings for a role serving its own certificate of {@code ca} and verifying callees against {@code trust}. */
    private static Map<String, String> tls(TestCertificates ca, String role, Path trust, String... more) {
        TestCertificates.Issued issued = ca.issue(role);
        Map<String, String> settings = new HashMap<>();
        settings.put("offgrid.tls.cert-file", issued.certFile().toString());
        settings.put("offgrid.tls.key-file", issued.keyFile().toString());
        settings.put("offgrid.tls.ca-file", trust.toString());
        settings.put("offgrid.broker.health-interval-ms", "200");
        for (int i = 0; i + 1 < more.length; i += 2) {
            settings.put(more[i], more[i + 1]);
        }
        return settings;
    }

    private void discover(String... urlsAndNodeIds) throws IOException {
        StringBuilder file = new StringBuilder("{");
        for (int i = 0; i + 1 < urlsAndNodeIds.length; i += 2) {
            file.append(i == 0 ? "" : ",").append('"').append(urlsAndNodeIds[i]).append("\":{\"node_id\":\"")
                    .append(urlsAndNodeIds[i + 1]).append("\",\"via\":\"udp\"}");
        }
        Files.createDirectories(home.resolve("discovery"));
        Files.writeString(home.resolve("discovery/mesh_hosts.json"), file.append('}').toString());
    }
}
