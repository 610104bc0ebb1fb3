package com.sheratan.offgrid.broker;

import com.sheratan.offgrid.ledger.Checkpoint;
import com.sheratan.offgrid.ledger.CostLedger;
import java.io.IOException;
import java.util.Map;
import org.apache.camel.health.HealthCheckResultBuilder;
import com.sheratan.offgrid.observe.ReadinessCheck;

/**
 * Readiness (SPEC 14): the broker is not ready while its cost ledger has not passed its start check
 * (the log checked against its signed checkpoints) or has stopped taking charges because a write or
 * fsync failed: a run it answered then would go uncharged. A broker whose log does not match does not
 * start at all (SPEC 12); this check is what a load balancer sees in between and after. With the ledger
 * off ({@code offgrid.broker.ledger.enabled=false}) it is UP and says so.
 */
final class LedgerReadyCheck extends ReadinessCheck {
    private final BrokerLedger ledger;

    LedgerReadyCheck(BrokerLedger ledger) {
        super("ledger-verified");
        this.ledger = ledger;
    }

    @Override
    protected void doCall(HealthCheckResultBuilder builder, Map<String, Object> options) {
        if (!ledger.enabled()) {
            builder.detail("ledger", "off");
            builder.up();
            return;
        }
        CostLedger open = ledger.ledger();
        if (open == null) {
            builder.message("the ledger has not passed its start check");
            builder.down();
            return;
        }
        Checkpoint latest = open.latestCheckpoint();
        builder.detail("tree_size", open.size());
        builder.detail("checkpoint_tree_size", latest.treeSize());
        builder.detail("root_hash", latest.rootHash());
        IOException failure = open.writeFailure();
        if (failure != null) {
            builder.message("the ledger takes no charges since a write failed (" + failure.getMessage()
                    + "); restart the broker once the state folder can be written");
            builder.down();
            return;
        }
        builder.up();
    }
}
