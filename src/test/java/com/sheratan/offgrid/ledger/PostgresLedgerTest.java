package com.sheratan.offgrid.ledger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sheratan.offgrid.testing.Ports;
import com.sheratan.offgrid.testing.TestPostgres;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The cost ledger kept in a real PostgreSQL database (SPEC 15): the same entries, hashes and proofs as
 * the files ledger, and reopened from the database alone (a broker on another machine) it checks
 * against its signed checkpoints and goes on where it was.
 */
class PostgresLedgerTest {
    private static final BigDecimal RATE = new BigDecimal("0.01");
    private static final Clock FIXED = Clock.fixed(Instant.parse("2026-12-06T12:00:00Z"), ZoneOffset.UTC);
    private static TestPostgres postgres;

    private final LedgerTesting testing = new LedgerTesting();

    @TempDir
    Path state;

    @BeforeAll
    static void startPostgres() {
        postgres = TestPostgres.start(false);
    }

    @AfterAll
    static void stopPostgres() {
        postgres.close();
    }

    private static CostLedger onPostgres(String url) {
        return CostLedger.open(PostgresLedgerStorage.open(url, TestPostgres.USER, "", url), RATE, FIXED);
    }

    @Test
    void entriesHashesAndProofsAreThoseOfTheFilesLedger() throws IOException {
        String url = postgres.newDatabase();
        try (CostLedger files = CostLedger.open(state, RATE, FIXED); CostLedger database = onPostgres(url)) {
            for (int i = 0; i < 13; i++) {
                CostLedger.Charge inFiles = files.charge(testing.charge(i, i % 3 == 0 ? null : "m-" + i % 2));
                CostLedger.Charge inDatabase = database.charge(testing.charge(i, i % 3 == 0 ? null : "m-" + i % 2));
                assertEquals(inFiles.toJson(), inDatabase.toJson());
            }
            assertEquals(files.size(), database.size());
            assertEquals(files.root(13), database.root(13));
            assertEquals(files.records(0, 13), database.records(0, 13));
            assertEquals(files.inclusionProof(5, 13), database.inclusionProof(5, 13));
            assertEquals(files.consistencyProof(6, 13), database.consistencyProof(6, 13));
            assertEquals(files.balances(), database.balances());
            assertEquals(files.checkpoint().rootHash(), database.checkpoint().rootHash());
        }
    }

    @Test
    void theLedgerReopensFromTheDatabaseAloneAndGoesOnWhereItWas() throws IOException {
        String url = postgres.newDatabase();
        String root;
        String verifyKey;
        try (CostLedger ledger = onPostgres(url)) {
            for (int i = 0; i < 5; i++) {
                assertTrue(ledger.charge(testing.charge(i, "m-1")).fresh());
            }
            root = ledger.root(5);
            verifyKey = ledger.verifyKey();
        }
        // another broker, with no file of the first: the log is checked against its signed checkpoints
        try (CostLedger moved = onPostgres(url)) {
            assertEquals(5, moved.size());
            assertEquals(root, moved.root(5));
            assertEquals(verifyKey, moved.verifyKey(), "the key pair moved with the database");
            assertEquals(5, moved.latestCheckpoint().treeSize());
            CostLedger.Charge again = moved.charge(testing.charge(2, "m-1"));
            assertFalse(again.fresh(), "an attempt charged before answers its entry");
            assertEquals(2, again.seq());
            assertEquals(5, moved.charge(testing.charge(5, "m-1")).seq());
            assertEquals(moved.root(5), root, "the log only grew");
            assertFalse(moved.consistencyProof(5, 6).isEmpty());
        }
    }

    @Test
    void anUnreachableDatabaseStopsTheOpenNamingTheUrlButNoPassword() {
        String url = "jdbc:postgresql://127.0.0.1:" + Ports.free() + "/ledger";
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> PostgresLedgerStorage.open(url, "broker", "hunter2", url));
        assertTrue(e.getMessage().contains(url), e.getMessage());
        assertFalse(e.getMessage().contains("hunter2"), e.getMessage());
    }
}
