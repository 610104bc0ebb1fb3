package com.sheratan.offgrid.launch;

import static com.sheratan.offgrid.testing.Http.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sheratan.offgrid.contract.Json;
import com.sheratan.offgrid.ledger.CostLedger;
import com.sheratan.offgrid.security.AuthKeys;
import com.sheratan.offgrid.security.ClaimToken;
import com.sheratan.offgrid.security.RequestSigner;
import com.sheratan.offgrid.testing.Eventually;
import com.sheratan.offgrid.testing.Http;
import com.sheratan.offgrid.testing.TestRoles;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code ledger verify} and {@code ledger audit} against a real core, broker and host in one folder. */
class LedgerCommandTest {
    @TempDir
    Path home;

    private TestRoles roles;
    private RunningRole host;
    private RunningRole broker;
    private RunningRole core;
    private final Http http = new Http();
    private String out;
    private String err;

    @BeforeEach
    void startMesh() throws IOException {
        roles = new TestRoles(home);
        host = roles.onlyDiscoveredHost("host-a");
        broker = roles.broker(Map.of("offgrid.broker.ledger.checkpoint-interval-ms", "100"));
        core = roles.core(Map.of("offgrid.broker-url", broker.baseUrl(), "offgrid.mode", "offgrid"));
        for (int i = 0; i < 3; i++) {
            HttpResponse<String> answer = http.postJson(core.baseUrl() + "/api/jobs",
                    "{\"job_id\":\"cli-" + i + "\",\"kind\":\"echo\",\"mission_id\":\"m-cli\",\"payload\":{\"text\":\"hi " + i + "\"}}");
            assertEquals(200, answer.statusCode(), answer.body());
        }
        Eventually.holds(() -> assertEquals(3, json(http.get(broker.baseUrl() + "/ledger/checkpoint")).path("tree_size").asInt()));
    }

    @AfterEach
    void stopMesh() {
        roles.close();
    }

    private int ledger(String... args) {
        LedgerCli run = LedgerCli.run(args);
        out = run.out();
        err = run.err();
        return run.code();
    }

    @Test
    void verifyPassesOnlineAndOfflineWithTheSameRoot() {
        String root = json(http.get(broker.baseUrl() + "/ledger/checkpoint")).path("root_hash").asText();
        assertEquals(0, ledger("verify", "--url", broker.baseUrl()), out + err);
        assertTrue(out.contains("ledger ok: 3 entries, root " + root), out);
        roles.stop(broker);
        assertEquals(0, ledger("verify", "--home", home.toString()), out + err);
        assertTrue(out.contains("ledger ok: 3 entries, root " + root), out);
    }

    @Test
    void verifyNamesTheFirstBadSeqOfAnEditedLog() throws IOException {
        roles.stop(broker);
        Path log = home.resolve("state/broker").resolve(CostLedger.LOG_FILE);
        List<String> lines = Files.readAllLines(log);
        lines.set(2, lines.get(2).replace("\"payee\":\"host:host-a\"", "\"payee\":\"host:host-x\""));
        Files.writeString(log, String.join("\n", lines) + "\n");
        assertEquals(1, ledger("verify", "--home", home.toString()), out + err);
        assertTrue(err.contains("ledger BAD: first bad seq 2: "), err);
    }

    @Test
    void verifyOnlineNamesTheFirstBadSeqOfALogEditedUnderARunningBroker() throws IOException {
        // same length, so the running broker still finds every line where it wrote it, and serves the edit
        Path log = home.resolve("state/broker").resolve(CostLedger.LOG_FILE);
        List<String> lines = Files.readAllLines(log);
        lines.set(1, lines.get(1).replace("\"payee\":\"host:host-a\"", "\"payee\":\"host:host-x\""));
        Files.writeString(log, String.join("\n", lines) + "\n");
        assertEquals(1, ledger("verify", "--url", broker.baseUrl()), out + err);
        assertTrue(err.contains("ledger BAD: first bad seq 1: "), err);
    }

    @Test
    void auditFindsEveryReceiptChargedAndListsOneThatIsNot() {
        assertEquals(0, ledger("audit", "--host-home", home.toString(), "--node-id", "host-a", "--url", broker.baseUrl()),
                out + err);
        assertTrue(out.contains("audit host-a: 3 receipts for completed runs, 3 charged with an inclusion proof"), out);

        // a run the host signed but the broker never saw (sent to the host directly) is not charged
        HttpResponse<String> direct = runOnHostDirectly("job-direct", "attempt-direct");
        assertEquals(200, direct.statusCode(), direct.body());
        assertEquals(1, ledger("audit", "--host-home", home.toString(), "--node-id", "host-a", "--url", broker.baseUrl()),
                out + err);
        assertTrue(err.contains("job job-direct attempt attempt-direct: no charge of this attempt in the log"), err);
    }

    @Test
    void wrongOptionsExitWithTwo() {
        assertEquals(2, ledger("verify", "--home", "a", "--url", "http://127.0.0.1:1"));
        assertTrue(err.contains("--home or --url, not both"), err);
        assertEquals(2, ledger("audit", "--node-id", "host-a"));
        assertTrue(err.contains("ledger audit needs --host-home"), err);
        assertEquals(2, ledger("check"));
        assertEquals(2, ledger("verify", "--home", home.resolve("nothing-here").toString()));
        assertTrue(err.contains("no ledger in"), err);
    }

    private HttpResponse<String> runOnHostDirectly(String jobId, String attemptId) {
        long deadline = Instant.now().getEpochSecond() + 300;
        ObjectNode job = Json.mapper().createObjectNode();
        job.put("contract_version", 1).put("job_id", jobId).put("req_uid", "u-" + jobId).put("attempt_id", attemptId)
                .put("kind", "echo").put("deadline_ts", deadline)
                .put("claim_token", ClaimToken.compute(AuthKeys.DEVELOPMENT_SECRET, jobId, attemptId, deadline));
        job.putObject("args").put("text", "not through the broker");
        ObjectNode body = Json.mapper().createObjectNode().put("job_id", jobId);
        body.set("job", job);
        byte[] bytes = body.toString().getBytes(StandardCharsets.UTF_8);
        RequestSigner signer = new RequestSigner(AuthKeys.parse(AuthKeys.DEVELOPMENT_SECRET, "", "default"));
        Map<String, String> headers = new HashMap<>(signer.sign("POST", "/run", "host-a", bytes).asMap());
        headers.put("Content-Type", "application/json");
        return http.post(host.baseUrl() + "/run", bytes, headers);
    }
}
