-- The broker's cost ledger (SPEC 12) on PostgreSQL (SPEC 15, docs/scale-out.md): the same two logs as the
-- files ledger.jsonl and ledger-checkpoints.jsonl, one row per line with the line's exact bytes, and the
-- ledger's Ed25519 key pair, so a broker can move machines with nothing but the database.
CREATE TABLE ledger_lines (
    log VARCHAR(64) NOT NULL,
    line INT NOT NULL,
    content BYTEA NOT NULL,
    PRIMARY KEY (log, line)
);

CREATE TABLE ledger_keys (
    name VARCHAR(64) PRIMARY KEY,
    -- PKCS#8 and X.509 encodings, as the files ledger-key.pk8 and ledger-key.pub hold them (there in Base64)
    private_key BYTEA NOT NULL,
    public_key BYTEA NOT NULL
);
