package com.sheratan.offgrid.ledger;

import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import javax.sql.DataSource;

/**
 * One log of the ledger as rows of {@code ledger_lines} (log, line, content): a line is durable once its
 * {@code INSERT} is committed, which {@link #append} waits for. The primary key (log, line) keeps it
 * append-only even against a second broker writing the same database: its line is refused, not interleaved.
 */
final class PostgresLedgerLog implements LedgerLog {
    private final DataSource database;
    private final String name;
    private final String where;
    private volatile int lines;

    PostgresLedgerLog(DataSource database, String name, String where, int lines) {
        this.database = database;
        this.name = name;
        this.where = where;
        this.lines = lines;
    }

    @Override
    public String where() {
        return where;
    }

    /** A row is there whole or not at all. */
    @Override
    public long tornBytes() {
        return 0;
    }

    @Override
    public void cutTornTail() {
    }

    @Override
    public int lines() {
        return lines;
    }

    @Override
    public synchronized int append(byte[] content) throws IOException {
        try (Connection c = database.getConnection();
             PreparedStatement insert = c.prepareStatement("INSERT INTO ledger_lines (log, line, content) VALUES (?, ?, ?)")) {
            insert.setString(1, name);
            insert.setInt(2, lines);
            insert.setBytes(3, content);
            insert.executeUpdate();
        } catch (SQLException e) {
            throw new IOException("cannot add line " + lines + " to " + where + ": " + e.getMessage(), e);
        }
        lines++;
        return lines;
    }

    /** Each line was committed before {@link #append} returned. */
    @Override
    public void awaitDurable(int count) {
    }

    @Override
    public int durable() {
        return lines;
    }

    @Override
    public byte[] read(int index) throws IOException {
        try (Connection c = database.getConnection();
             PreparedStatement query = c.prepareStatement("SELECT content FROM ledger_lines WHERE log = ? AND line = ?")) {
            query.setString(1, name);
            query.setInt(2, index);
            try (ResultSet row = query.executeQuery()) {
                if (!row.next()) {
                    throw new IOException("no line " + index + " in " + where);
                }
                return row.getBytes(1);
            }
        } catch (SQLException e) {
            throw new IOException("cannot read line " + index + " of " + where + ": " + e.getMessage(), e);
        }
    }

    /** The pool is the storage's, closed with it. */
    @Override
    public void close() {
    }
}
