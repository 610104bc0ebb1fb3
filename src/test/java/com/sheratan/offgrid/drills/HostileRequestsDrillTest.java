package com.sheratan.offgrid.drills;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sheratan.offgrid.launch.RunningRole;
import com.sheratan.offgrid.security.AuthKeys;
import com.sheratan.offgrid.security.ClaimToken;
import com.sheratan.offgrid.security.RequestSigner;
import com.sheratan.offgrid.testing.Http;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Drill 5: hundreds of malformed and hostile requests to core, broker and host. Every one gets its
 * 4xx, nothing executes, nothing is written outside a host's data folder, and every role stays up.
 */
@Tag("drill")
class HostileRequestsDrillTest {
    private static final AuthKeys KEYS = AuthKeys.parse("shared-secret", "", "default");
    private static final AuthKeys WRONG = AuthKeys.parse("not-the-secret", "", "default");

    @TempDir
    Path home;

    @Test
    void hostileRequestsGetTheir4xxAndEveryRoleStaysUp() throws Exception {
        try (DrillMesh mesh = new DrillMesh(home, Map.of())) {
            RunningRole host = mesh.hostInJvm("host-a", Map.of());
            mesh.hostInJvm("host-b", Map.of());
            mesh.brokerInJvm(Map.of());
            mesh.coreInJvm(Map.of("offgrid.mode", "auto"));
            Http http = new Http();
            List<String> wrong = new ArrayList<>();
            int sent = 0;

            for (byte[] body : hostileBodies(new Random(7), JobAudit.scale(120, 600))) {
                sent++;
                HttpResponse<String> r = http.post(mesh.coreUrl() + "/api/jobs", body, Map.of("Content-Type", "application/json"));
                if (r.statusCode() != 400 && r.statusCode() != 413) {
                    wrong.add("core " + r.statusCode() + " for " + preview(body) + " -> " + r.body());
                }
            }
            String jobsBefore = http.get(mesh.coreUrl() + "/api/jobs").body();
            assertTrue(!jobsBefore.contains("drill5"), "no hostile body was stored as a job");

            String[] signedPaths = {mesh.brokerUrl() + "/auction", mesh.hostUrl("host-a") + "/run"};
            for (String url : signedPaths) {
                String path = url.substring(url.lastIndexOf('/'));
                String audience = path.equals("/auction") ? "broker" : "host-a";
                byte[] body = runBody("drill5-sig", "echo", "{\"text\":\"x\"}").getBytes(StandardCharsets.UTF_8);
                long now = System.currentTimeMillis() / 1000;
                List<Map<String, String>> forged = new ArrayList<>();
                forged.add(Map.of());
                forged.add(new RequestSigner(WRONG).sign("POST", path, audience, body).asMap());
                forged.add(new RequestSigner(KEYS).sign("POST", path, audience, body, now - 3600, "stale-nonce-000000000001").asMap());
                forged.add(new RequestSigner(KEYS).sign("POST", path, audience, body, now + 3600, "future-nonce-00000000001").asMap());
                Map<String, String> unknown = new HashMap<>(new RequestSigner(KEYS).sign("POST", path, audience, body).asMap());
                unknown.put("X-Offgrid-Key-Id", "nobody");
                forged.add(unknown);
                forged.add(new RequestSigner(KEYS).sign("POST", "/elsewhere", audience, body).asMap());
                // genuine, but meant for another receiver
                forged.add(new RequestSigner(KEYS).sign("POST", path, audience.equals("broker") ? "host-a" : "host-b", body)
                        .asMap());
                for (Map<String, String> headers : forged) {
                    sent++;
                    HttpResponse<String> r = http.post(url, body, withJson(headers));
                    if (r.statusCode() != 401 || r.headers().firstValue("WWW-Authenticate").isEmpty()) {
                        wrong.add(url + " forged " + headers.keySet() + " -> " + r.statusCode() + " " + r.body());
                    }
                }
                Map<String, String> genuine = new RequestSigner(KEYS).sign("POST", path, audience, body).asMap();
                http.post(url, body, withJson(genuine));
                sent++;
                HttpResponse<String> replay = http.post(url, body, withJson(genuine));
                if (replay.statusCode() != 401 || !replay.body().contains("replayed_nonce")) {
                    wrong.add(url + " replay -> " + replay.statusCode() + " " + replay.body());
                }
            }

            // signed and well-formed, but hostile: path traversal, absolute paths, a forged claim token
            String[] hostileArgs = {
                "{\"path\":\"../escape.txt\",\"content\":\"x\"}",
                "{\"path\":\"../../../../tmp/drill5-escape.txt\",\"content\":\"x\"}",
                "{\"path\":\"/tmp/drill5-absolute.txt\",\"content\":\"x\"}",
                "{\"path\":\"a/../../escape.txt\",\"content\":\"x\"}",
                "{\"path\":\"ok.txt\",\"content_b64\":\"!!! not base64 !!!\"}",
                "{\"content\":\"no path\"}"
            };
            for (String args : hostileArgs) {
                sent++;
                byte[] body = runBody("drill5-" + sent, "write_file", args).getBytes(StandardCharsets.UTF_8);
                HttpResponse<String> r = http.post(mesh.hostUrl("host-a") + "/run", body,
                        withJson(new RequestSigner(KEYS).sign("POST", "/run", "host-a", body).asMap()));
                if (r.statusCode() != 400 || !r.body().contains("INVALID_ARGS")) {
                    wrong.add("host write_file " + args + " -> " + r.statusCode() + " " + r.body());
                }
            }
            sent++;
            byte[] badClaim = runBody("drill5-claim", "echo", "{\"text\":\"x\"}").replace("\"claim_token\":\"", "\"claim_token\":\"00")
                    .getBytes(StandardCharsets.UTF_8);
            HttpResponse<String> claim = http.post(mesh.hostUrl("host-a") + "/run", badClaim,
                    withJson(new RequestSigner(KEYS).sign("POST", "/run", "host-a", badClaim).asMap()));
            if (claim.statusCode() != 403) {
                wrong.add("forged claim token -> " + claim.statusCode() + " " + claim.body());
            }

            System.out.println("drill 5 (hostile requests): sent " + sent + ", wrong answers " + wrong.size());
            assertTrue(sent >= 200 || !Boolean.getBoolean("drills.full"), "at least 200 hostile requests in the full drill");
            assertEquals(List.of(), wrong);
            assertTrue(!Files.exists(home.resolve("data/escape.txt")) && !Files.exists(Path.of("/tmp/drill5-escape.txt"))
                    && !Files.exists(Path.of("/tmp/drill5-absolute.txt")), "nothing written outside the data folder");
            try (Stream<Path> written = Files.walk(home.resolve("data"))) {
                assertEquals(List.of(), written.filter(Files::isRegularFile).toList(), "no hostile write executed");
            }
            for (String url : List.of(mesh.coreUrl() + "/api/status", mesh.brokerUrl() + "/status",
                    mesh.hostUrl("host-a") + "/status", mesh.hostUrl("host-b") + "/status")) {
                assertEquals(200, http.get(url).statusCode(), url + " stays up");
            }
            assertEquals(200, http.postJson(mesh.coreUrl() + "/api/jobs", "{\"kind\":\"echo\",\"payload\":{\"text\":\"still fine\"}}")
                    .statusCode(), "the mesh still runs real jobs");
            assertTrue(host.camelContext().isStarted());
        }
    }

    private static Map<String, String> withJson(Map<String, String> headers) {
        Map<String, String> all = new HashMap<>(headers);
        all.put("Content-Type", "application/json");
        return all;
    }

    private static String runBody(String jobId, String kind, String args) {
        String attempt = "attempt-" + jobId;
        long deadline = System.currentTimeMillis() / 1000 + 300;
        return "{\"job_id\":\"" + jobId + "\",\"job\":{\"contract_version\":1,\"job_id\":\"" + jobId
                + "\",\"req_uid\":\"r\",\"attempt_id\":\"" + attempt + "\",\"kind\":\"" + kind + "\",\"args\":" + args
                + ",\"deadline_ts\":" + deadline + ",\"claim_token\":\""
                + ClaimToken.compute("shared-secret", jobId, attempt, deadline) + "\"}}";
    }

    /** Malformed, mistyped, oversized, deeply nested and non-UTF-8 bodies; none of them a valid job. */
    static List<byte[]> hostileBodies(Random random, int fuzzed) {
        List<String> bodies = new ArrayList<>(List.of(
                "", " ", "null", "true", "42", "\"a string\"", "[]", "[{\"kind\":\"echo\"}]", "{", "}", "{\"kind\":",
                "{\"kind\":\"echo\"", "{\"kind\":42}", "{\"kind\":null}", "{\"kind\":[\"echo\"]}", "{\"kind\":{}}",
                "{\"kind\":\"\"}", "{\"payload\":{\"text\":\"no kind\"}}", "{\"kind\":\"echo\",\"payload\":\"not an object\"}",
                "{\"kind\":\"echo\",\"payload\":[1,2]}", "{\"kind\":\"echo\",\"params\":7}",
                "{\"kind\":\"echo\",\"job_id\":{\"id\":1}}", "{\"kind\":\"echo\",\"job_id\":123}",
                "{\"kind\":\"echo\",\"constraints\":\"fast\"}", "{\"kind\":\"echo\",\"priority\":\"high\"}",
                "{\"kind\":\"echo\",,}", "{'kind':'echo'}", "{\"kind\":\"echo\"} trailing",
                "{\"kind\":\"echo\",\"job_id\":\"drill5-dup\",\"job_id\":\"x\"", "\u0000\u0001\u0002",
                "{\"kind\":\"echo\",\"job_id\":\"../../etc/passwd\"}", "{\"kind\":\"echo\",\"job_id\":\"a/b\"}",
                "{\"kind\":\"echo\",\"job_id\":\"" + "x".repeat(300) + "\"}"));
        bodies.add("[".repeat(100_000) + "]".repeat(100_000));
        bodies.add("{\"kind\":\"echo\",\"payload\":" + "{\"a\":".repeat(5000) + "1" + "}".repeat(5000) + "}");
        bodies.add("{\"kind\":\"echo\",\"payload\":{\"text\":\"" + "x".repeat(2 * 1024 * 1024) + "\"}}");
        List<byte[]> out = new ArrayList<>(bodies.stream().map(s -> s.getBytes(StandardCharsets.UTF_8)).toList());
        out.add(new byte[] {'{', '"', 'k', 'i', 'n', 'd', '"', ':', '"', (byte) 0xC3, (byte) 0x28, '"', '}'});
        out.add(new byte[] {(byte) 0xFF, (byte) 0xFE, '{', '}'});
        String valid = "{\"job_id\":\"drill5-fuzz\",\"kind\":\"echo\",\"payload\":{\"text\":\"hi\"}}";
        while (out.size() < bodies.size() + 2 + fuzzed) {
            char[] chars = valid.toCharArray();
            int cut = 1 + random.nextInt(chars.length - 2);
            String mutated = switch (random.nextInt(3)) {
                case 0 -> valid.substring(0, cut);
                case 1 -> valid.substring(0, cut) + "\"{[,:".charAt(random.nextInt(5)) + valid.substring(cut);
                default -> valid.substring(0, cut) + valid.substring(cut + 1);
            };
            if (!isValidJob(mutated)) {
                out.add(mutated.getBytes(StandardCharsets.UTF_8));
            }
        }
        return out;
    }

    private static boolean isValidJob(String text) {
        try {
            var node = com.sheratan.offgrid.contract.Json.mapper().readTree(text);
            return node != null && node.isObject() && node.path("kind").isTextual() && !node.path("kind").asText().isEmpty()
                    && (node.path("payload").isMissingNode() || node.path("payload").isObject());
        } catch (Exception e) {
            return false;
        }
    }

    private static String preview(byte[] body) {
        String s = new String(body, 0, Math.min(body.length, 80), StandardCharsets.UTF_8);
        return s + (body.length > 80 ? "…(" + body.length + " bytes)" : "");
    }
}
