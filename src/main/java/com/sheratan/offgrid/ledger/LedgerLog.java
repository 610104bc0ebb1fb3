package com.sheratan.offgrid.ledger;

import java.io.Closeable;
import java.io.IOException;

/**
 * One append-only log of the ledger (its entries, or its checkpoints), one record per line: a file in
 * the broker's state folder ({@link LedgerFile}) or rows of a PostgreSQL table ({@link PostgresLedgerLog}).
 * The bytes of a line are the same in both, so the hashes, roots and proofs over them are too.
 */
public interface LedgerLog extends Closeable {
    /** Where the log is, for messages. */
    String where();

    /** Bytes after the last complete line when opened (a write cut short by a crash); 0 where there are none. */
    long tornBytes();

    /** Cuts the torn tail off, so the next line follows the last complete one. */
    void cutTornTail() throws IOException;

    int lines();

    /** Adds one line at the end; returns how many lines the log then has. */
    int append(byte[] content) throws IOException;

    /** Returns once the first {@code count} lines are durable. */
    void awaitDurable(int count) throws IOException;

    /** How many lines are durable. */
    int durable();

    /** Line {@code index}, without its line end. */
    byte[] read(int index) throws IOException;
}
