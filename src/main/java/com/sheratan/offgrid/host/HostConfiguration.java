package com.sheratan.offgrid.host;

import com.sheratan.offgrid.config.EscapingLogger;
import com.sheratan.offgrid.config.RoleStartException;
import com.sheratan.offgrid.config.SettingValues;
import com.sheratan.offgrid.contract.JsonReply;
import com.sheratan.offgrid.observe.RoleMeters;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import com.sheratan.offgrid.security.AuthKeys;
import com.sheratan.offgrid.security.AuthKeysConfiguration;
import com.sheratan.offgrid.security.MeshTls;
import com.sheratan.offgrid.security.ReceiptSigner;
import com.sheratan.offgrid.security.NonceJournal;
import com.sheratan.offgrid.security.ReplayGuard;
import com.sheratan.offgrid.security.RequestVerifier;
import com.sheratan.offgrid.security.SignedHeaders;
import com.sheratan.offgrid.security.VerifySignedRequest;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.spi.PropertiesComponent;
import org.slf4j.Logger;

/** The beans the host routes name, made once per host from its settings. */
public class HostConfiguration implements CamelConfiguration {
    private static final Logger LOG = EscapingLogger.of(HostConfiguration.class);
    static final List<String> BASE_KINDS = List.of("echo", "sha256", "write_file", "read_file", "list_files");

    @Override
    public void configure(CamelContext camelContext) throws Exception {
        PropertiesComponent settings = camelContext.getPropertiesComponent();
        String nodeId = setting(settings, "offgrid.host.node-id");
        if (!nodeId.matches("[A-Za-z0-9_-][A-Za-z0-9._-]{0,63}")) {
            throw new RoleStartException("node id '" + nodeId + "' must be 1-64 characters of A-Z a-z 0-9 . _ - "
                    + "(it names the host's data and state folders)");
        }
        if (nodeId.equals(SignedHeaders.BROKER_AUDIENCE)) {
            throw new RoleStartException("node id '" + nodeId + "' is the broker's audience in signed requests"
                    + " (docs/signing.md): requests to the broker would be good at this host too; choose another");
        }
        Clock clock = Clock.systemUTC();
        AuthKeys keys = AuthKeysConfiguration.keys(camelContext);
        long replayWindow = wholeNumber(settings, "offgrid.replay-window-seconds");
        Path stateDir = Path.of(setting(settings, "offgrid.host.state-dir")).resolve(nodeId);
        Path dataDir = Path.of(setting(settings, "offgrid.host.data-dir")).resolve(nodeId);
        String publicUrl = optional(settings, "offgrid.host.public-url");
        String baseUrl = publicUrl.isBlank()
                ? (optional(settings, MeshTls.CERT_FILE).isBlank() ? "http://" : "https://") + setting(settings, "offgrid.bind-host") + ":" + setting(settings, "camel.server.port")
                : publicUrl.replaceAll("/+$", "");
        PriceList prices = new PriceList(price(settings, "offgrid.host.price.per-mtoken-infer"),
                price(settings, "offgrid.host.price.per-gb-hour"), price(settings, "offgrid.host.price.per-gb-transfer"));
        String llmUrl = optional(settings, "offgrid.host.llm-url");
        List<String> kinds = new ArrayList<>(BASE_KINDS);
        if (!llmUrl.isBlank()) {
            kinds.add("llm_call");
        }

        ReceiptSigner signer = new ReceiptSigner(HostKeys.loadOrCreate(stateDir));
        RunAnswers answers = new RunAnswers(nodeId, prices, signer, clock);
        AttemptLedger ledger = new AttemptLedger(stateDir.resolve("attempts"), answers, clock,
                Duration.ofHours(wholeNumber(settings, "offgrid.host.attempt-keep-hours")));
        Path shardDir = Path.of(setting(settings, "offgrid.host.shards-dir")).resolve(nodeId);
        long capacityMb = wholeNumber(settings, "offgrid.host.storage-capacity-mb");
        ShardStore shards = new ShardStore(shardDir, capacityMb * 1024 * 1024, clock);
        HostProfile profile = new HostProfile(nodeId, baseUrl, kinds, prices, signer.verifyKey(), ledger,
                Boolean.parseBoolean(setting(settings, "offgrid.host.active")), shards);

        var registry = camelContext.getRegistry();
        NonceJournal nonces = new NonceJournal(stateDir.resolve("nonces"));
        camelContext.addService(nonces, true, true);
        registry.bind("verifySignedRequest", new VerifySignedRequest(
                new RequestVerifier(keys, nodeId, new ReplayGuard(replayWindow, nonces), clock)));
        registry.bind("jsonReply", new JsonReply());
        registry.bind("hostProfile", profile);
        registry.bind("runGate", new RunGate(profile, keys, clock));
        registry.bind("attemptLedger", ledger);
        registry.bind("runAnswers", answers);
        registry.bind("textJobs", new TextJobs());
        registry.bind("shardApi", new ShardApi(shards));
        MeterRegistry meters = RoleMeters.of(camelContext);
        Gauge.builder("offgrid.host.shards", shards, ShardStore::count).description("shards this host keeps").register(meters);
        Gauge.builder("offgrid.host.shard_bytes", shards, ShardStore::usedBytes)
                .description("bytes of the shards this host keeps").register(meters);
        Gauge.builder("offgrid.host.shard_capacity_bytes", shards, ShardStore::capacityBytes)
                .description("offgrid.host.storage-capacity-mb in bytes").register(meters);
        registry.bind("dataFolder", new DataFolder(dataDir));
        registry.bind("llmClient", new OllamaClient(llmUrl, setting(settings, "offgrid.host.llm-model"),
                Duration.ofMillis(wholeNumber(settings, "offgrid.host.llm-timeout-ms")),
                camelContext.createProducerTemplate()));
        LOG.info("host {} at {}: kinds {}, prices {}, data {}, state {}, shards {} ({} of {} MiB used){}", nodeId, baseUrl,
                kinds, prices.asMap(), dataDir, stateDir, shardDir, shards.usedBytes() / (1024 * 1024), capacityMb, profile.isActive() ? "" : " (inactive: quotes answer 503)");
    }

    private static String setting(PropertiesComponent settings, String key) {
        return settings.resolveProperty(key).map(String::strip)
                .orElseThrow(() -> new RoleStartException("setting '" + key + "' is missing"));
    }

    private static String optional(PropertiesComponent settings, String key) {
        return settings.resolveProperty(key).map(String::strip).orElse("");
    }

    private static long wholeNumber(PropertiesComponent settings, String key) {
        return SettingValues.wholeNumber(key, setting(settings, key));
    }

    private static double price(PropertiesComponent settings, String key) {
        String value = setting(settings, key);
        double price = SettingValues.number(key, value);
        if (price < 0) {
            throw new RoleStartException("setting '" + key + "' must be a price of at least 0, was '" + value + "'");
        }
        return price;
    }
}
