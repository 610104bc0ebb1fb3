package com.sheratan.offgrid.launch;

import static com.sheratan.offgrid.testing.Http.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sheratan.offgrid.ledger.CostLedger;
import com.sheratan.offgrid.testing.Eventually;
import com.sheratan.offgrid.testing.Http;
import com.sheratan.offgrid.testing.TestPostgres;
import com.sheratan.offgrid.testing.TestRoles;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ledger verify --home DIR} of a broker whose ledger is in PostgreSQL
 * ({@code offgrid.broker.ledger.store=postgres}): read from the database, from a folder that holds no
 * ledger file, with the same root as online; an edited row is named by its seq.
 */
class LedgerVerifyPostgresTest {
    @TempDir
    Path home;

    private final Http http = new Http();
    private String out;
    private String err;

    @Test
    void verifyReadsTheLedgerFromPostgresAndNamesAnEditedRow() throws Exception {
        try (TestPostgres postgres = TestPostgres.start(false); TestRoles roles = new TestRoles(home.resolve("mesh"))) {
            String jdbcUrl = postgres.newDatabase();
            Map<String, String> ledger = Map.of("offgrid.broker.ledger.store", "postgres",
                    "offgrid.broker.ledger.jdbc-url", jdbcUrl, "offgrid.broker.ledger.jdbc-user", TestPostgres.USER);
            roles.onlyDiscoveredHost("host-a");
            Map<String, String> brokerSettings = new java.util.HashMap<>(ledger);
            brokerSettings.put("offgrid.broker.ledger.checkpoint-interval-ms", "100");
            RunningRole broker = roles.broker(brokerSettings);
            RunningRole core = roles.core(Map.of("offgrid.broker-url", broker.baseUrl(), "offgrid.mode", "offgrid"));
            for (int i = 0; i < 3; i++) {
                HttpResponse<String> answer = http.postJson(core.baseUrl() + "/api/jobs",
                        "{\"job_id\":\"pg-cli-" + i + "\",\"kind\":\"echo\",\"payload\":{\"text\":\"hi " + i + "\"}}");
                assertEquals(200, answer.statusCode(), answer.body());
            }
            Eventually.holds(() -> assertEquals(3,
                    json(http.get(broker.baseUrl() + "/ledger/checkpoint")).path("tree_size").asInt()));
            String root = json(http.get(broker.baseUrl() + "/ledger/checkpoint")).path("root_hash").asText();
            roles.stop(broker);

            String elsewhere = home.resolve("another-machine").toString();
            String[] verify = {"verify", "--home", elsewhere, "--set", "offgrid.broker.ledger.store=postgres",
                "--set", "offgrid.broker.ledger.jdbc-url=" + jdbcUrl, "--set", "offgrid.broker.ledger.jdbc-user=" + TestPostgres.USER};
            assertEquals(0, ledger(verify), out + err);
            assertTrue(out.contains("ledger ok: 3 entries, root " + root), out);

            try (Connection c = DriverManager.getConnection(jdbcUrl, TestPostgres.USER, "");
                 PreparedStatement edit = c.prepareStatement("UPDATE ledger_lines SET content = convert_to(replace("
                         + "convert_from(content, 'UTF8'), '\"payee\":\"host:host-a\"', '\"payee\":\"host:host-x\"'), 'UTF8')"
                         + " WHERE log = ? AND line = 1")) {
                edit.setString(1, CostLedger.LOG_FILE);
                assertEquals(1, edit.executeUpdate());
            }
            assertEquals(1, ledger(verify), out + err);
            assertTrue(err.contains("ledger BAD: first bad seq 1: "), err);
        }
    }

    private int ledger(String... args) {
        LedgerCli run = LedgerCli.run(args);
        out = run.out();
        err = run.err();
        return run.code();
    }
}
