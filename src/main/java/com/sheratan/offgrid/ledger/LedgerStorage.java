package com.sheratan.offgrid.ledger;

import com.sheratan.offgrid.security.Ed25519KeyFile;
import java.io.Closeable;
import java.io.IOException;
import java.nio.file.Path;
import java.security.KeyPair;
import java.util.function.Consumer;

/**
 * Where the cost ledger keeps its two logs and its signing key pair: files in the broker's state folder
 * ({@link #files}), or a PostgreSQL database ({@link PostgresLedgerStorage}, so a broker can move machines).
 */
public interface LedgerStorage extends Closeable {
    /** Where the ledger is, for messages. */
    String where();

    /** The ledger's Ed25519 key pair, made on first use and kept. */
    KeyPair keyPair();

    /** Opens (or makes) the log {@code name}, handing every complete line, in order, to {@code eachLine}. */
    LedgerLog open(String name, Consumer<byte[]> eachLine) throws IOException;

    /** The files {@code ledger.jsonl}, {@code ledger-checkpoints.jsonl} and {@code ledger-key.*} in {@code stateDir}. */
    static LedgerStorage files(Path stateDir) {
        return new LedgerStorage() {
            @Override
            public String where() {
                return stateDir.toString();
            }

            @Override
            public KeyPair keyPair() {
                return new Ed25519KeyFile(stateDir, CostLedger.KEY_NAME, "ledger key").loadOrCreate();
            }

            @Override
            public LedgerLog open(String name, Consumer<byte[]> eachLine) throws IOException {
                return LedgerFile.open(stateDir.resolve(name), eachLine);
            }

            @Override
            public void close() {
            }
        };
    }
}
