package com.sheratan.offgrid.launch;

import com.sheratan.offgrid.broker.LedgerSettings;
import com.sheratan.offgrid.config.Settings;
import com.sheratan.offgrid.ledger.LedgerClient;
import com.sheratan.offgrid.ledger.LedgerVerifier;
import com.sheratan.offgrid.ledger.PostgresLedgerStorage;
import com.sheratan.offgrid.ledger.ReceiptAudit;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code ledger verify [--home DIR | --url BROKER_URL]} and
 * {@code ledger audit --host-home DIR --node-id ID --url BROKER_URL} (SPEC section 12). Exit codes:
 * 0 the ledger checks out (every receipt charged); 1 it does not (the first bad seq, or the receipts
 * not charged, are printed); 2 wrong options, or the ledger could not be read at all.
 */
final class LedgerCommand {
    static final String USAGE = """
            usage: java -jar target/sheratan-offgrid.jar ledger verify [--home DIR | --url BROKER_URL] [--set k=v]
                   java -jar target/sheratan-offgrid.jar ledger audit --host-home DIR --node-id ID --url BROKER_URL
              verify  recomputes the broker's Merkle tree from every entry, checks every checkpoint's signature and
                      root, every receipt's signature and that the balances sum to zero: offline from the broker's
                      state folder under --home (default: the working folder), or from its PostgreSQL database when
                      offgrid.broker.ledger.store=postgres (in DIR's settings or --set), or online from a running broker
              audit   checks that each receipt the host signed for a completed run is charged in the broker's
                      log, with an inclusion proof under the broker's signed checkpoint
            exit codes: 0 ok, 1 the ledger is bad or receipts are not charged, 2 wrong options or nothing to check""";

    private final PrintStream out;
    private final PrintStream err;

    LedgerCommand(PrintStream out, PrintStream err) {
        this.out = out;
        this.err = err;
    }

    int run(List<String> args) {
        Map<String, String> options;
        String action = args.isEmpty() ? "" : args.get(0);
        try {
            options = options(action, args.subList(Math.min(1, args.size()), args.size()));
        } catch (IllegalArgumentException e) {
            err.println("error: " + e.getMessage());
            err.println(USAGE);
            return 2;
        }
        try {
            return action.equals("verify") ? verify(options) : audit(options);
        } catch (IOException | RuntimeException e) {
            err.println("error: the ledger could not be checked: " + e.getMessage());
            return 2;
        }
    }

    private static Map<String, String> options(String action, List<String> args) {
        List<String> allowed = switch (action) {
            case "verify" -> List.of("--home", "--url", "--set");
            case "audit" -> List.of("--host-home", "--node-id", "--url");
            default -> throw new IllegalArgumentException(action.isEmpty() ? "ledger needs verify or audit"
                    : "unknown ledger command '" + action + "'; it is verify or audit");
        };
        Map<String, String> options = new HashMap<>();
        for (int i = 0; i < args.size(); i++) {
            String option = args.get(i);
            if (!allowed.contains(option)) {
                throw new IllegalArgumentException("ledger " + action + " does not take " + option + "; its options are "
                        + String.join(", ", allowed));
            }
            if (i + 1 >= args.size()) {
                throw new IllegalArgumentException(option + " needs a value");
            }
            String value = args.get(++i);
            if (option.equals("--set")) {
                options.merge(option, value, (a, b) -> a + "\n" + b);
            } else if (options.put(option, value) != null) {
                throw new IllegalArgumentException(option + " is given twice");
            }
        }
        if (action.equals("verify") && options.containsKey("--home") && options.containsKey("--url")) {
            throw new IllegalArgumentException("ledger verify takes --home or --url, not both");
        }
        if (action.equals("audit")) {
            for (String needed : allowed) {
                if (!options.containsKey(needed)) {
                    throw new IllegalArgumentException("ledger audit needs " + needed);
                }
            }
        }
        return options;
    }

    private int verify(Map<String, String> options) throws IOException {
        LedgerVerifier.Verdict verdict;
        if (options.containsKey("--url")) {
            verdict = LedgerVerifier.online(new LedgerClient(options.get("--url")));
        } else {
            Map<String, String> overrides = new HashMap<>();
            overrides.put(Settings.HOME, options.getOrDefault("--home", "."));
            for (String set : options.getOrDefault("--set", "").split("\n")) {
                int eq = set.indexOf('=');
                if (eq > 0) {
                    overrides.put(set.substring(0, eq), set.substring(eq + 1));
                } else if (!set.isEmpty()) {
                    throw new IllegalArgumentException("--set takes key=value, got '" + set + "'");
                }
            }
            Settings settings = Settings.load(overrides);
            LedgerSettings ledger = LedgerSettings.from(key -> settings.get(key, null));
            if (ledger.onPostgres()) {
                try (PostgresLedgerStorage storage = PostgresLedgerStorage.open(ledger.jdbcUrl(), ledger.jdbcUser(),
                        ledger.jdbcPassword(), ledger.safeUrl())) {
                    verdict = LedgerVerifier.offline(storage);
                }
            } else {
                verdict = LedgerVerifier.offline(settings.path("offgrid.broker.state-dir"));
            }
        }
        verdict.notes().forEach(note -> out.println("note: " + note));
        (verdict.ok() ? out : err).println(verdict.line());
        return verdict.ok() ? 0 : 1;
    }

    private int audit(Map<String, String> options) throws IOException {
        String nodeId = options.get("--node-id");
        Settings host = Settings.load(Map.of(Settings.HOME, options.get("--host-home")));
        Path attempts = host.path("offgrid.host.state-dir").resolve(nodeId).resolve("attempts");
        ReceiptAudit.Report report = ReceiptAudit.audit(attempts, nodeId, new LedgerClient(options.get("--url")));
        out.println("audit " + nodeId + ": " + report.receipts() + " receipts for completed runs, " + report.proven()
                + " charged with an inclusion proof under the checkpoint of tree_size " + report.checkpoint().treeSize()
                + " (root " + report.checkpoint().rootHash() + ", log_id " + report.checkpoint().logId() + ")");
        if (report.uncharged().isEmpty()) {
            return 0;
        }
        err.println(report.uncharged().size() + " receipts not charged:");
        report.uncharged().forEach(u -> err.println("  " + u));
        return 1;
    }
}
