package com.sheratan.offgrid.ledger;

import com.sheratan.offgrid.config.RootCause;
import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.io.IOException;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.function.Consumer;
import org.flywaydb.core.Flyway;

/**
 * The cost ledger in a PostgreSQL database ({@code offgrid.broker.ledger.store=postgres}, SPEC 15): its
 * two logs as rows of {@code ledger_lines}, its key pair in {@code ledger_keys}, the schema migrated by
 * Flyway from {@code db/ledger-postgres/} (its own history table, so it may share the job store's
 * database). A database that cannot be reached stops the broker's start with the URL, never the password.
 */
public final class PostgresLedgerStorage implements LedgerStorage {
    private static final String KEY = CostLedger.KEY_NAME;

    private final HikariDataSource pool;
    private final String where;

    private PostgresLedgerStorage(HikariDataSource pool, String where) {
        this.pool = pool;
        this.where = where;
    }

    /** {@code safeUrl}: the URL as messages may show it (a password in it masked). */
    public static PostgresLedgerStorage open(String jdbcUrl, String user, String password, String safeUrl) {
        HikariConfig config = new HikariConfig();
        config.setPoolName("broker-ledger");
        config.setJdbcUrl(jdbcUrl);
        config.setUsername(user);
        config.setPassword(password);
        config.setMaximumPoolSize(4);
        config.setConnectionTimeout(5000);
        HikariDataSource pool;
        try {
            pool = new HikariDataSource(config);
        } catch (RuntimeException e) {
            throw new IllegalStateException("cannot reach the ledger's PostgreSQL at " + safeUrl + " as user '" + user
                    + "': " + RootCause.message(e) + " — check offgrid.broker.ledger.jdbc-url, -user and -password", e);
        }
        try {
            Flyway.configure().dataSource(pool).locations("classpath:db/ledger-postgres").table("ledger_schema_history")
                    .baselineOnMigrate(true).baselineVersion("0").load().migrate();
        } catch (RuntimeException e) {
            pool.close();
            throw new IllegalStateException("cannot bring the ledger's schema at " + safeUrl + " up to date: "
                    + RootCause.message(e), e);
        }
        return new PostgresLedgerStorage(pool, "PostgreSQL " + safeUrl);
    }


    @Override
    public String where() {
        return where;
    }

    /** The kept pair, or a new one kept first (of two brokers making one at once, the first kept wins). */
    @Override
    public KeyPair keyPair() {
        try {
            KeyPair kept = keptPair();
            if (kept != null) {
                return kept;
            }
            KeyPair created = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
            try (Connection c = pool.getConnection(); PreparedStatement insert = c.prepareStatement(
                    "INSERT INTO ledger_keys (name, private_key, public_key) VALUES (?, ?, ?) ON CONFLICT (name) DO NOTHING")) {
                insert.setString(1, KEY);
                insert.setBytes(2, created.getPrivate().getEncoded());
                insert.setBytes(3, created.getPublic().getEncoded());
                insert.executeUpdate();
            }
            return keptPair();
        } catch (SQLException | GeneralSecurityException e) {
            throw new IllegalStateException("cannot keep the ledger key pair in " + where + ": " + e.getMessage(), e);
        }
    }

    /** The kept public key as the broker publishes it (Base64 of X.509), or null while none is kept; makes none. */
    public String verifyKey() throws IOException {
        try {
            KeyPair kept = keptPair();
            return kept == null ? null : java.util.Base64.getEncoder().encodeToString(kept.getPublic().getEncoded());
        } catch (SQLException | GeneralSecurityException e) {
            throw new IOException("cannot read the ledger key from " + where + ": " + e.getMessage(), e);
        }
    }

    private KeyPair keptPair() throws SQLException, GeneralSecurityException {
        try (Connection c = pool.getConnection(); PreparedStatement query = c.prepareStatement(
                "SELECT private_key, public_key FROM ledger_keys WHERE name = ?")) {
            query.setString(1, KEY);
            try (ResultSet row = query.executeQuery()) {
                if (!row.next()) {
                    return null;
                }
                KeyFactory factory = KeyFactory.getInstance("Ed25519");
                return new KeyPair(factory.generatePublic(new X509EncodedKeySpec(row.getBytes(2))),
                        factory.generatePrivate(new PKCS8EncodedKeySpec(row.getBytes(1))));
            }
        }
    }

    @Override
    public LedgerLog open(String name, Consumer<byte[]> eachLine) throws IOException {
        int lines = 0;
        try (Connection c = pool.getConnection(); PreparedStatement query = c.prepareStatement(
                "SELECT line, content FROM ledger_lines WHERE log = ? ORDER BY line")) {
            query.setString(1, name);
            query.setFetchSize(1000);
            c.setAutoCommit(false); // the driver streams a large log in batches only inside a transaction
            try (ResultSet rows = query.executeQuery()) {
                while (rows.next()) {
                    if (rows.getInt(1) != lines) {
                        throw new IOException(where + " " + name + ": line " + lines + " is missing");
                    }
                    eachLine.accept(rows.getBytes(2));
                    lines++;
                }
            }
            c.commit();
        } catch (SQLException e) {
            throw new IOException("cannot read " + name + " from " + where + ": " + e.getMessage(), e);
        }
        return new PostgresLedgerLog(pool, name, where + " (" + name + ")", lines);
    }

    @Override
    public void close() {
        pool.close();
    }
}
