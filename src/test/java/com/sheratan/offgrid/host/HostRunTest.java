package com.sheratan.offgrid.host;

import static com.sheratan.offgrid.testing.Http.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sheratan.offgrid.launch.Role;
import com.sheratan.offgrid.security.ClaimToken;
import com.sheratan.offgrid.security.Digests;
import com.sheratan.offgrid.security.ReceiptVerifier;
import com.sheratan.offgrid.testing.RoleTest;
import com.sheratan.offgrid.testing.TestRoles;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** POST /run over real HTTP: every base kind, the receipt, and each refusal before a job runs. */
class HostRunTest extends RoleTest {
    HostCalls calls;
    /** The working folder of a second host, for the one test that needs another host's key. */
    @TempDir
    Path otherHome;

    @Override
    protected Role role() {
        return Role.HOST;
    }

    @Override
    protected Map<String, String> settings() {
        return Map.of("offgrid.host.node-id", "host-t");
    }

    @BeforeEach
    void calls() {
        calls = new HostCalls(baseUrl());
    }

    @Test
    void echoAnswersTheTextWithASignedReceipt() {
        ObjectNode job = HostCalls.job("echo", Map.of("text", "hello mesh"));
        HttpResponse<String> response = calls.run(job);
        assertEquals(200, response.statusCode(), response.body());
        JsonNode body = json(response);
        assertTrue(body.get("ok").asBoolean());
        assertEquals(job.get("job_id").asText(), body.get("job_id").asText());
        assertEquals("host-t", body.get("node_id").asText());
        assertEquals("hello mesh", body.get("output").asText());
        JsonNode receipt = body.get("receipt");
        assertEquals("1", receipt.get("version").asText());
        assertEquals(job.get("attempt_id").asText(), receipt.get("attempt_id").asText());
        assertEquals("echo", receipt.get("kind").asText());
        assertEquals(Digests.sha256Hex("hello mesh"), receipt.get("output_sha256").asText());
        assertEquals("Ed25519", receipt.get("sig_algo").asText());
        assertEquals(0.1, receipt.get("units").asDouble(), 1e-12);
        assertEquals(0.1 * 1.0, receipt.get("quote").asDouble(), 1e-12);
        assertTrue(receipt.get("finished_ms").asLong() >= receipt.get("started_ms").asLong());
        assertFalse(response.headers().firstValue("X-Offgrid-Signature").isPresent(), "request headers leaked");
    }

    @Test
    void requestIdComesBackWithTheAnswer() {
        byte[] body = HostCalls.runBody(HostCalls.job("echo", Map.of("text", "trace me")));
        Map<String, String> headers = new java.util.HashMap<>(calls.signedHeaders("/run", body));
        headers.put("X-Request-Id", "req-42");
        HttpResponse<String> response = calls.http.post(url("/run"), body, headers);
        assertEquals(200, response.statusCode());
        assertEquals("req-42", response.headers().firstValue("X-Request-Id").orElse(""));
    }

    @Test
    void receiptVerifiesWithThePublishedKeyAndFailsWhenOneByteChanges() throws Exception {
        String verifyKey = json(calls.get("/announce")).get("verify_key").asText();
        JsonNode receipt = json(calls.run(HostCalls.job("echo", Map.of("text", "receipt me")))).get("receipt");
        assertTrue(ReceiptVerifier.verify(receipt, verifyKey));

        ObjectNode changedOutput = receipt.deepCopy();
        String sha = receipt.get("output_sha256").asText();
        changedOutput.put("output_sha256", (sha.charAt(0) == '0' ? "1" : "0") + sha.substring(1));
        assertFalse(ReceiptVerifier.verify(changedOutput, verifyKey));

        ObjectNode changedSig = receipt.deepCopy();
        byte[] sig = Base64.getDecoder().decode(receipt.get("sig").asText());
        sig[10] ^= 0x01;
        changedSig.put("sig", Base64.getEncoder().encodeToString(sig));
        assertFalse(ReceiptVerifier.verify(changedSig, verifyKey));

        ObjectNode changedQuote = receipt.deepCopy();
        changedQuote.put("quote", 0.0);
        assertFalse(ReceiptVerifier.verify(changedQuote, verifyKey));

        try (TestRoles others = new TestRoles(otherHome)) {
            String otherHostKey = json(new HostCalls(others.host("host-other", Map.of())).get("/announce"))
                    .get("verify_key").asText();
            assertFalse(ReceiptVerifier.verify(receipt, otherHostKey), "a receipt must not pass for another host's key");
        }
    }

    @Test
    void sha256HashesTextOrBase64Data() {
        JsonNode text = json(calls.run(HostCalls.job("sha256", Map.of("text", "abc"))));
        assertEquals("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad", text.get("output").asText());

        String b64 = Base64.getEncoder().encodeToString(new byte[] {0, 1, 2, (byte) 255});
        JsonNode data = json(calls.run(HostCalls.job("sha256", Map.of("data_b64", b64))));
        assertEquals(Digests.sha256Hex(new byte[] {0, 1, 2, (byte) 255}), data.get("output").asText());
        assertEquals(4, data.get("result").get("bytes").asInt());
    }

    @Test
    void sha256RefusesInvalidBase64AndMissingInput() {
        HttpResponse<String> invalid = calls.run(HostCalls.job("sha256", Map.of("data_b64", "not*base64!")));
        assertEquals(400, invalid.statusCode());
        assertEquals("INVALID_ARGS", json(invalid).get("error_code").asText());
        assertFalse(json(invalid).get("ok").asBoolean());

        HttpResponse<String> missing = calls.run(HostCalls.job("sha256", Map.of()));
        assertEquals(400, missing.statusCode());
        assertEquals("INVALID_ARGS", json(missing).get("error_code").asText());
    }

    @Test
    void filesAreWrittenReadAndListedInsideTheDataFolder() throws Exception {
        JsonNode written = json(calls.run(HostCalls.job("write_file",
                Map.of("path", "notes/today.txt", "content_b64", Base64.getEncoder().encodeToString(HostCalls.utf8("hi there")),
                        "limit_mb", 10))));
        assertTrue(written.get("ok").asBoolean(), written.toString());
        assertEquals("notes/today.txt", written.get("result").get("written_relpath").asText());
        assertEquals(8, written.get("result").get("bytes").asInt());
        assertEquals(Digests.sha256Hex("hi there"), written.get("result").get("sha256").asText());
        assertEquals("hi there", Files.readString(home.resolve("data/host-t/notes/today.txt")));

        JsonNode plain = json(calls.run(HostCalls.job("write_file", Map.of("path", "notes/plain.txt", "content", "plain text"))));
        assertTrue(plain.get("ok").asBoolean(), plain.toString());

        JsonNode read = json(calls.run(HostCalls.job("read_file", Map.of("path", "notes/today.txt"))));
        assertEquals("hi there", read.get("output").asText());
        assertEquals(Base64.getEncoder().encodeToString(HostCalls.utf8("hi there")), read.get("result").get("content_b64").asText());

        JsonNode listed = json(calls.run(HostCalls.job("list_files", Map.of("path", "notes"))));
        assertEquals("plain.txt\ntoday.txt\n", listed.get("output").asText());
        assertEquals("file", listed.get("result").get("entries").get(0).get("type").asText());

        JsonNode top = json(calls.run(HostCalls.job("list_files", Map.of())));
        assertEquals("notes/\n", top.get("output").asText());
        assertEquals(0.01 * 0.5, top.get("receipt").get("quote").asDouble(), 1e-12, "storage is priced per_gb_hour");
    }

    @Test
    void unknownKindIsUnsupported() {
        HttpResponse<String> response = calls.run(HostCalls.job("teleport", Map.of()));
        assertEquals(422, response.statusCode());
        assertEquals("UNSUPPORTED_KIND", json(response).get("error_code").asText());
        HttpResponse<String> llm = calls.run(HostCalls.job("llm_call", Map.of("prompt", "hi")));
        assertEquals(422, llm.statusCode(), "llm_call without offgrid.host.llm-url");
    }

    @Test
    void forgedClaimTokenIsUnauthorized() {
        ObjectNode job = HostCalls.job("write_file", Map.of("path", "forged.txt", "content", "x"));
        job.put("claim_token", ClaimToken.compute("not-the-mesh-key",
                job.get("job_id").asText(), job.get("attempt_id").asText(), job.get("deadline_ts").asLong()));
        HttpResponse<String> response = calls.run(job);
        assertEquals(403, response.statusCode());
        assertEquals("UNAUTHORIZED", json(response).get("error_code").asText());

        ObjectNode moved = HostCalls.job("echo", Map.of("text", "x"));
        moved.put("deadline_ts", moved.get("deadline_ts").asLong() + 3600);  // token made for the old deadline
        assertEquals("UNAUTHORIZED", json(calls.run(moved)).get("error_code").asText());

        ObjectNode missing = HostCalls.job("echo", Map.of("text", "x"));
        missing.remove("claim_token");
        assertEquals(403, calls.run(missing).statusCode());
        assertFalse(Files.exists(home.resolve("data/host-t/forged.txt")));
    }

    @Test
    void expiredDeadlineIsRefused() {
        ObjectNode job = HostCalls.job("write_file", Map.of("path", "late.txt", "content", "x"),
                Instant.now().getEpochSecond() - 5);
        HttpResponse<String> response = calls.run(job);
        assertEquals(403, response.statusCode());
        assertEquals("DEADLINE_EXCEEDED", json(response).get("error_code").asText());
        assertFalse(Files.exists(home.resolve("data/host-t/late.txt")));
    }

    @Test
    void unsignedForgedAndReplayedRequestsAre401AndRunNothing() {
        ObjectNode job = HostCalls.job("write_file", Map.of("path", "signed.txt", "content", "x"));
        byte[] body = HostCalls.runBody(job);

        HttpResponse<String> unsigned = calls.http.post(url("/run"), body, Map.of("Content-Type", "application/json"));
        assertEquals(401, unsigned.statusCode());
        assertEquals("Offgrid-HMAC", unsigned.headers().firstValue("WWW-Authenticate").orElse(""));
        assertEquals("missing_signature", json(unsigned).get("error").asText());

        Map<String, String> headers = calls.signedHeaders("/run", body);
        byte[] tampered = HostCalls.runBody(HostCalls.job("write_file", Map.of("path", "evil.txt", "content", "x")));
        HttpResponse<String> forged = calls.http.post(url("/run"), tampered, headers);
        assertEquals(401, forged.statusCode());
        assertEquals("bad_signature", json(forged).get("error").asText());

        assertEquals(200, calls.http.post(url("/run"), body, headers).statusCode());
        HttpResponse<String> replayed = calls.http.post(url("/run"), body, headers);
        assertEquals(401, replayed.statusCode());
        assertEquals("replayed_nonce", json(replayed).get("error").asText());
        assertFalse(Files.exists(home.resolve("data/host-t/evil.txt")));
    }

    @Test
    void malformedBodyIsInvalidArgs() {
        HttpResponse<String> notJson = calls.postSigned("/run", HostCalls.utf8("{not json"));
        assertEquals(400, notJson.statusCode());
        assertEquals("INVALID_ARGS", json(notJson).get("error_code").asText());

        HttpResponse<String> noJob = calls.postSigned("/run", HostCalls.utf8("{\"job_id\":\"j1\"}"));
        assertEquals(400, noJob.statusCode());
        assertEquals("INVALID_ARGS", json(noJob).get("error_code").asText());
    }
}
