package com.sheratan.offgrid.core;

import com.sheratan.offgrid.core.objects.ObjectStore;
import com.sheratan.offgrid.core.objects.StorageConfiguration;
import com.sheratan.offgrid.observe.FolderWritableCheck;
import com.sheratan.offgrid.observe.RoleMeters;
import com.sheratan.offgrid.config.EscapingLogger;
import com.sheratan.offgrid.security.RequestSigner;
import com.sheratan.offgrid.security.SignOutgoingRequest;
import com.sheratan.offgrid.security.SignedHeaders;
import com.sheratan.offgrid.security.TlsConfiguration;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.Service;
import io.vertx.core.VertxOptions;
import org.apache.camel.component.http.HttpComponent;
import org.apache.camel.health.HealthCheckRegistry;
import org.apache.camel.spi.Registry;
import org.apache.camel.support.jsse.SSLContextParameters;
import org.slf4j.Logger;

/** The beans the core routes name. An invalid OFFGRID_MODE stops the core here, before anything listens. */
public class CoreConfiguration implements CamelConfiguration {
    private static final Logger LOG = EscapingLogger.of(CoreConfiguration.class);
    /** What a worker may take beyond the longest dispatch (file queue, job store) before Vert.x warns. */
    private static final long WORKER_MARGIN_MS = 60_000;

    @Override
    public void configure(CamelContext camelContext) {
        var properties = camelContext.getPropertiesComponent();
        String bindHost = properties.resolveProperty("offgrid.bind-host").orElse("127.0.0.1");
        ApiTokens apiTokens = ApiTokens.forBinding(properties.resolveProperty(ApiTokens.SETTING).orElse(""), bindHost,
                properties.resolveProperty("offgrid.role-name").orElse("core"));
        CoreSettings settings = CoreSettings.from(camelContext);
        Clock clock = Clock.systemUTC();
        LOG.info("core: OFFGRID_MODE={} broker={} key id={} inbox={} file queue={}", settings.mode().value(),
                settings.brokerUrl(), settings.keys().signingKeyId(), settings.inboxDir(), settings.fileQueueDir());
        LOG.info("core: /api calls {}", apiTokens.required()
                ? "need `Authorization: Bearer <token>` (" + apiTokens.count() + " token(s) in OFFGRID_API_TOKENS)"
                : "need no token (bound to loopback " + bindHost + ", OFFGRID_API_TOKENS unset)");
        createFolders(settings);
        warnWhenBrokerMayOutwaitTheCore(camelContext);

        JobStoreSettings storeSettings = JobStoreSettings.from(camelContext);
        String coreId = "core-" + properties.resolveProperty("offgrid.core.port").orElse("") + "-"
                + UUID.randomUUID().toString().substring(0, 8);
        JobStore store = storeSettings.shared() ? JobStore.openShared(storeSettings, coreId, clock)
                : JobStore.open(settings.stateDir(), clock);
        LOG.info("core: job store {}", storeSettings.shared() ? "PostgreSQL " + storeSettings.safeUrl() + " (shared; this"
                + " core is " + coreId + ", dispatch lease " + storeSettings.leaseMs() + " ms)"
                : "H2 file in " + settings.stateDir());
        JobRecorder recorder = store.recorder();
        JobLookup lookup = store.lookup();
        JobRates rates = new JobRates(clock);
        JobEvents events = new JobEvents();
        RecentAuctions auctions = new RecentAuctions(clock);
        CoreMeters meters = new CoreMeters(RoleMeters.of(camelContext), settings.inboxDir(), settings.fileQueueDir(),
                rates, events);
        FileQueueWriter fileQueue = new FileQueueWriter(settings.fileQueueDir(), recorder, clock, meters);
        // started as the context starts, before any route takes a job, and stopped with it in reverse
        // order: the store's writer first, then its database; the recovery needs the writer running
        for (Service part : store.services()) {
            addService(camelContext, part);
        }
        addService(camelContext, new InterruptedJobRecovery(store.interrupted(), fileQueue));
        DispatchLeases leases = DispatchLeases.none();
        if (storeSettings.shared()) {
            leases = new DispatchLeases(coreId, store.database(), storeSettings.leaseMs(),
                    settings.longestDispatchMs() + storeSettings.leaseMs(), fileQueue, clock);
            addService(camelContext, leases);
        }
        RequestSigner signer = new RequestSigner(settings.keys(), clock);
        BrokerHealth health = new BrokerHealth(settings.brokerUrl(), settings.keys().signingKeyId(), clock);
        JobDocumentReader reader = new JobDocumentReader();

        // Apache HttpClient 5 re-sends a request answered 503 by itself, a second later, with the same
        // signed headers — the broker refuses that as a replayed nonce. Retries are the route's business.
        // An https:// OFFGRID_BROKER_URL is served by the component "https" (camel-http's second name, a
        // component of its own): configured the same way, and it verifies the broker against offgrid.tls.ca-file.
        SSLContextParameters brokerTrust = TlsConfiguration.tls(camelContext).clientParameters(camelContext);
        for (String scheme : new String[] {"http", "https"}) {
            HttpComponent http = camelContext.getComponent(scheme, HttpComponent.class);
            http.setAutomaticRetriesDisabled(true);
            if (brokerTrust != null) {
                http.setSslContextParameters(brokerTrust);
            }
        }
        // a dispatch holds an HTTP worker thread (and a broker connection, see core-dispatch.yaml) for
        // the whole auction — seconds when a host is slow: size for that many jobs in flight, not the CPUs.
        // Vert.x warns "Thread blocked" (with a stack trace, every second) for a worker busy longer than
        // its max execute time, 60 s by default: allow the longest dispatch, plus a margin as the broker does
        camelContext.getRegistry().bind("coreVertxOptions", new VertxOptions()
                .setWorkerPoolSize(settings.maxConcurrentDispatches())
                .setMaxWorkerExecuteTime(settings.longestDispatchMs() + WORKER_MARGIN_MS)
                .setMaxWorkerExecuteTimeUnit(TimeUnit.MILLISECONDS));

        // readiness (SPEC 14): not ready while the job store's folder or the file queue cannot be written
        HealthCheckRegistry checks = HealthCheckRegistry.get(camelContext);
        checks.register(storeSettings.shared()
                ? new JobStoreReachableCheck("job-store-writable", store.database(), storeSettings.safeUrl())
                : new FolderWritableCheck("job-store-writable", settings.stateDir()));
        boolean queueOnKafka = queueOnKafka(camelContext);
        checks.register(queueOnKafka ? new KafkaReachableCheck("file-queue-writable", properties
                .resolveProperty("offgrid.kafka.bootstrap-servers").orElse(""))
                : new FolderWritableCheck("file-queue-writable", settings.fileQueueDir()));

        Registry registry = camelContext.getRegistry();
        registry.bind("apiTokenGate", new ApiTokenGate(apiTokens));
        JobIntake intake = new JobIntake(recorder, lookup, settings.mode());
        registry.bind("httpJobIntake", new HttpJobIntake(reader, intake, settings.maxBodyBytes()));
        registry.bind("inboxJobIntake", new InboxJobIntake(reader, intake, settings.inboxDir()));
        registry.bind("schemaMapper", new SchemaMapper(settings.keys().signingSecret(), clock));
        registry.bind("logBrokerDispatch", new LogBrokerDispatch(settings.mode(), settings.brokerUrl()));
        registry.bind("signBrokerRequest", new SignOutgoingRequest(signer, settings.auctionPath(),
                SignedHeaders.BROKER_AUDIENCE));
        registry.bind("brokerAnswer", new BrokerAnswer(health));
        registry.bind("staleBrokerConnections", new StaleBrokerConnections());
        registry.bind("brokerRetryPolicy", new BrokerRetryPolicy(settings.brokerRetries(), settings.brokerResendMs()));
        registry.bind("brokerResult", new BrokerResult(recorder, meters, auctions));
        registry.bind("fileQueueWriter", fileQueue);
        registry.bind("kafkaQueueWriter", new KafkaQueueWriter(fileQueue, recorder, meters));
        ResultIntake results = new ResultIntake(recorder, lookup, settings.resultsDir());
        registry.bind("resultIntake", results);
        registry.bind("kafkaIntake", new KafkaIntake(reader, intake, results));
        registry.bind("dispatchFailed", new DispatchFailed(recorder, meters));
        registry.bind("coreFault", new CoreFault());
        registry.bind("jobQueries", new JobQueries(lookup, settings.defaultPageSize()));
        registry.bind("jobRetry", new JobRetry(lookup, intake, settings.fileQueueDir()));
        registry.bind("routeJobIntake", new RouteJobIntake(reader, intake));
        registry.bind("dispatchLeases", leases);
        registry.bind("takenOverJob", new TakenOverJob(lookup, intake));
        registry.bind("offgridSubmit", new OffgridSubmit(camelContext.createProducerTemplate()));
        javax.net.ssl.SSLContext meshCa = TlsConfiguration.tls(camelContext).clientContext();
        registry.bind("meshView", new MeshView(settings.brokerUrl(), settings.mode(), settings.fileQueueDir(), auctions,
                meshCa));
        registry.bind("ledgerView", new LedgerView(settings.brokerUrl(), settings.mode(), meshCa));
        EventTickets tickets = new EventTickets(clock);
        registry.bind("eventTickets", tickets);
        try {
            if (queueOnKafka) {
                camelContext.addStartupListener(new KafkaQueueRoutes());
            }
            camelContext.addStartupListener(new Dashboard(events, rates, lookup, apiTokens, tickets));
            camelContext.addStartupListener(new UserRoutes(settings.userRoutesDir()));
        } catch (Exception e) {
            throw new IllegalStateException("cannot register the user routes: " + e.getMessage(), e);
        }
        ObjectStore objects = StorageConfiguration.bind(camelContext, settings.keys(), settings.brokerUrl(),
                settings.stateDir(), TlsConfiguration.tls(camelContext).clientContext(), clock);
        // the job records on the mesh too (route core-job-backup, started when offgrid.core.backup-to-mesh=true)
        registry.bind("jobBackup", new JobBackup(store.database(), objects));
        registry.bind("storageView", new StorageView(objects));
        registry.bind("statusReport", new StatusReport(settings,
                new BrokerProbe(settings, signer, clock, camelContext.createProducerTemplate()), health, lookup));
    }

    /** offgrid.core.queue: {@code file} (webrelay_out/) or {@code kafka}; any other value stops the core. */
    private static boolean queueOnKafka(CamelContext context) {
        String queue = context.getPropertiesComponent().resolveProperty("offgrid.core.queue").orElse("file").trim();
        if (!"file".equals(queue) && !"kafka".equals(queue)) {
            throw new IllegalStateException("offgrid.core.queue '" + queue + "' is not a queue; use one of file|kafka");
        }
        if ("kafka".equals(queue)) {
            LOG.info("core: queue on Kafka {} (topics {}, offgrid.jobs.results, offgrid.jobs.in)", context
                    .getPropertiesComponent().resolveProperty("offgrid.kafka.bootstrap-servers").orElse(""),
                    KafkaQueueWriter.TOPIC);
        }
        return "kafka".equals(queue);
    }

    /** Camel starts {@code service} early, as the context starts (before the routes), and stops it with the context. */
    private static void addService(CamelContext camelContext, Service service) {
        try {
            camelContext.addService(service, true, true);
        } catch (Exception e) {
            throw new IllegalStateException("cannot register " + service + " with Camel: " + e.getMessage(), e);
        }
    }

    /**
     * The core's broker timeout must exceed the broker's worst-case auction (quote timeout + redundancy
     * x run timeout, the auction of SPEC §7), or a slow auction is cut off, queued, and run a second
     * time; docs/core.md (Dispatch). The check reads the offgrid.broker.* settings of this process,
     * which application.properties always supplies, so it always runs; they are the broker's real
     * settings only when the broker reads the same configuration (e.g. the local mesh).
     */
    private static void warnWhenBrokerMayOutwaitTheCore(CamelContext context) {
        var properties = context.getPropertiesComponent();
        var quote = properties.resolveProperty("offgrid.broker.quote-timeout-ms");
        var run = properties.resolveProperty("offgrid.broker.run-timeout-ms");
        var redundancy = properties.resolveProperty("offgrid.broker.redundancy");
        var core = properties.resolveProperty("offgrid.core.broker-timeout-ms");
        if (quote.isEmpty() || run.isEmpty() || redundancy.isEmpty() || core.isEmpty()) {
            return;
        }
        try {
            long worstCase = Long.parseLong(quote.get().trim())
                    + Long.parseLong(redundancy.get().trim()) * Long.parseLong(run.get().trim());
            long coreTimeout = Long.parseLong(core.get().trim());
            if (coreTimeout <= worstCase) {
                LOG.warn("offgrid.core.broker-timeout-ms={} does not exceed the broker's worst-case auction of {} ms"
                        + " (quote-timeout-ms + redundancy x run-timeout-ms): a slow auction would be cut off and the"
                        + " job queued although a host may still run it; raise it above {}", coreTimeout, worstCase,
                        worstCase);
            }
        } catch (NumberFormatException e) {
            LOG.warn("cannot check the broker timeout rule: {}", e.getMessage());
        }
    }

    /** Folders are made when missing; one that cannot be made is reported, not fatal (the queue answers 503). */
    private static void createFolders(CoreSettings settings) {
        for (Path folder : new Path[] {settings.inboxDir(), settings.fileQueueDir(), settings.resultsDir()}) {
            try {
                Files.createDirectories(folder);
            } catch (IOException e) {
                LOG.warn("cannot create folder {} ({}): jobs that need it will be refused until it can be written",
                        folder, e.getMessage());
            }
        }
    }
}
