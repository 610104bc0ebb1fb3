package com.sheratan.offgrid.broker;

import com.sheratan.offgrid.observe.RoleMeters;
import com.sheratan.offgrid.config.EscapingLogger;
import com.sheratan.offgrid.security.AuthKeys;
import com.sheratan.offgrid.security.AuthKeysConfiguration;
import com.sheratan.offgrid.security.NonceJournal;
import com.sheratan.offgrid.security.ReplayGuard;
import com.sheratan.offgrid.security.RequestSigner;
import com.sheratan.offgrid.security.RequestVerifier;
import com.sheratan.offgrid.security.SignedHeaders;
import com.sheratan.offgrid.security.TlsConfiguration;
import com.sheratan.offgrid.security.VerifySignedRequest;
import io.vertx.core.VertxOptions;
import java.time.Clock;
import java.util.concurrent.TimeUnit;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.health.HealthCheckRegistry;
import org.apache.camel.spi.Registry;
import org.slf4j.Logger;

/** The beans the broker routes name. */
public class BrokerConfiguration implements CamelConfiguration {
    private static final Logger LOG = EscapingLogger.of(BrokerConfiguration.class);
    /** Workers no auction may take: /status, /hosts and /results always find one. */
    private static final int RESERVED_WORKERS = 4;

    @Override
    public void configure(CamelContext camelContext) throws Exception {
        BrokerSettings settings = BrokerSettings.from(key -> camelContext.getPropertiesComponent().resolveProperty(key)
                .orElseThrow(() -> new IllegalStateException("setting '" + key + "' is not defined")));
        AuthKeys keys = AuthKeysConfiguration.keys(camelContext);
        Clock clock = Clock.systemUTC();
        Registry registry = camelContext.getRegistry();

        // the HTTP server's worker pool: an auction holds a worker while it waits on hosts, so the
        // pool is larger than max-concurrent-auctions and /status always finds a free worker
        registry.bind("brokerVertxOptions", new VertxOptions()
                .setWorkerPoolSize(settings.httpThreads())
                .setMaxWorkerExecuteTime(settings.quoteTimeout().toMillis()
                        + (long) settings.redundancy() * settings.runTimeout().toMillis() + 60_000)
                .setMaxWorkerExecuteTimeUnit(TimeUnit.MILLISECONDS));

        DiscoveryFile discoveryFile = new DiscoveryFile(settings.discoveryFile(), settings.fallbackHosts(),
                settings.discoveryCheck().toMillis(), clock);
        MeshHosts hosts = new MeshHosts(discoveryFile, clock);
        HostClient client = new HostClient(new RequestSigner(keys, clock), settings.quoteTimeout(),
                settings.runTimeout(), settings.healthTimeout(), settings.maxAnswerBytes(),
                TlsConfiguration.tls(camelContext).clientContext());
        camelContext.addService(client, true, true);
        ReputationBook reputation = new ReputationBook(settings.stateDir(), settings.recentFailureWindow(), clock);
        camelContext.addService(reputation, true, true);
        AuctionCounters counters = new AuctionCounters();
        ResultStore results = new ResultStore(settings.resultsKept(), settings.resultsBytes());
        BrokerMeters meters = new BrokerMeters(RoleMeters.of(camelContext));
        BrokerReplies replies = new BrokerReplies(hosts, reputation, counters, results, meters);
        LedgerSettings ledgerSettings = LedgerSettings.from(key -> camelContext.getPropertiesComponent()
                .resolveProperty(key).orElseThrow(() -> new IllegalStateException("setting '" + key + "' is not defined")));
        BrokerLedger ledger = new BrokerLedger(settings.stateDir(), ledgerSettings, clock, meters);
        camelContext.addService(ledger, true, true);
        // readiness (SPEC 14): not ready while the ledger has not passed its start check or cannot be written
        HealthCheckRegistry.get(camelContext).register(new LedgerReadyCheck(ledger));
        ReceiptCheck receipts = ledgerSettings.enabled()
                ? new ReceiptCheck(new HostKeyPins(settings.stateDir(), client), hosts) : null;

        NonceJournal nonces = new NonceJournal(settings.stateDir().resolve("nonces"));
        camelContext.addService(nonces, true, true);
        registry.bind("verifySignedRequest", new VerifySignedRequest(new RequestVerifier(keys,
                SignedHeaders.BROKER_AUDIENCE, new ReplayGuard(settings.replayWindowSeconds(), nonces), clock)));
        registry.bind("auctionGate", new AuctionGate(auctionLimit(settings), counters, replies));
        BidCollector bids = new BidCollector(hosts, client, new AuctionScorer(), reputation, meters);
        registry.bind("auctioneer", new Auctioneer(new AuctionRequestReader(), hosts, client, bids,
                reputation, counters, settings.redundancy(), meters, receipts, settings.runTimeout()));
        registry.bind("storagePlacement", new StoragePlacement(hosts, bids));
        registry.bind("jsonReply", new com.sheratan.offgrid.contract.JsonReply());
        registry.bind("brokerReplies", replies);
        registry.bind("healthMonitor", new HealthMonitor(hosts, client));
        registry.bind("reputationBook", reputation);
        registry.bind("brokerLedger", ledger);
        registry.bind("ledgerReplies", new LedgerReplies(ledger));
        LOG.info("broker: hosts from {} (checked every {} ms, fallback {}), quote timeout {} ms, run timeout {} ms,"
                        + " redundancy {}, health probe every {} ms, reputation written every {} ms,"
                        + " signing key id '{}', accepting key ids {}", settings.discoveryFile(),
                settings.discoveryCheck().toMillis(), settings.fallbackHosts(), settings.quoteTimeout().toMillis(),
                settings.runTimeout().toMillis(), settings.redundancy(), settings.healthInterval().toMillis(),
                settings.reputationFlush().toMillis(), keys.signingKeyId(), keys.secrets().keySet());
    }

    /** Keeps some workers free for /status and friends even when the two settings are set close together. */
    private static int auctionLimit(BrokerSettings settings) {
        int limit = Math.min(settings.maxConcurrentAuctions(), Math.max(1, settings.httpThreads() - RESERVED_WORKERS));
        if (limit < settings.maxConcurrentAuctions()) {
            LOG.warn("offgrid.broker.max-concurrent-auctions={} leaves too few of offgrid.broker.http-threads={} free"
                    + " for /status; using {}", settings.maxConcurrentAuctions(), settings.httpThreads(), limit);
        }
        return limit;
    }
}
