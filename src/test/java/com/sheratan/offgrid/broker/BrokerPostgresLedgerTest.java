package com.sheratan.offgrid.broker;

import static com.sheratan.offgrid.broker.BrokerUnderTest.request;
import static com.sheratan.offgrid.testing.Http.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import com.fasterxml.jackson.databind.JsonNode;
import com.sheratan.offgrid.ledger.CostLedger;
import com.sheratan.offgrid.testing.TestPostgres;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code offgrid.broker.ledger.store=postgres} (SPEC 15): a broker charges into the database, and a
 * broker on another machine (another working folder, no file of the first) answers the same entries and
 * balances from it, and charges a repeated attempt under the entry it has.
 */
class BrokerPostgresLedgerTest {
    private static TestPostgres postgres;

    @TempDir
    Path home;

    @BeforeAll
    static void startPostgres() {
        postgres = TestPostgres.start(false);
    }

    @AfterAll
    static void stopPostgres() {
        postgres.close();
    }

    @Test
    void aBrokerOnAnotherMachineGoesOnWithTheLedgerInTheDatabase() throws Exception {
        Map<String, String> ledger = Map.of("offgrid.broker.ledger.store", "postgres",
                "offgrid.broker.ledger.jdbc-url", postgres.newDatabase(), "offgrid.broker.ledger.jdbc-user", TestPostgres.USER);
        try (StandInHost host = StandInHost.start("host-a")) {
            host.price = 0.000123;
            JsonNode charged;
            JsonNode entry;
            try (BrokerUnderTest first = new BrokerUnderTest(home.resolve("machine-1")).discover(host).start(ledger)) {
                charged = json(first.auction(request("job-1", "echo"))).path("ledger");
                assertEquals(0, charged.path("seq").asInt(), charged.toString());
                entry = json(first.get("/ledger/entries/0"));
            }
            assertFalse(Files.exists(home.resolve("machine-1/state/broker").resolve(CostLedger.LOG_FILE)),
                    "no ledger file beside the database");

            try (BrokerUnderTest moved = new BrokerUnderTest(home.resolve("machine-2")).discover(host).start(ledger)) {
                assertEquals(entry, json(moved.get("/ledger/entries/0")));
                assertEquals(charged, json(moved.auction(request("job-1", "echo"))).path("ledger"),
                        "the attempt charged on the first machine answers its entry");
                JsonNode balances = json(moved.get("/ledger/balances"));
                assertEquals(1, balances.path("tree_size").asInt(), balances.toString());
                assertEquals("0.000000000", balances.path("sum").asText());
                assertEquals(1, json(moved.auction(request("job-2", "echo"))).path("ledger").path("seq").asInt());
            }
        }
    }
}
