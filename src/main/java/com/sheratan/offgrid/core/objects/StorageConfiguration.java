package com.sheratan.offgrid.core.objects;

import com.sheratan.offgrid.config.EscapingLogger;
import com.sheratan.offgrid.config.RoleStartException;
import com.sheratan.offgrid.config.SettingValues;
import com.sheratan.offgrid.observe.RoleMeters;
import com.sheratan.offgrid.security.AuthKeys;
import com.sheratan.offgrid.security.RequestSigner;
import com.sheratan.offgrid.storage.ObjectCipher;
import com.sheratan.offgrid.storage.ShardClient;
import com.sheratan.offgrid.storage.StorageScheme;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.function.Function;
import javax.net.ssl.SSLContext;
import org.apache.camel.CamelContext;
import org.apache.camel.spi.PropertiesComponent;
import org.slf4j.Logger;

/** Makes the core's mesh storage from its settings: the store, and the {@code objectApi} bean its routes name. */
public final class StorageConfiguration {
    private static final Logger LOG = EscapingLogger.of(StorageConfiguration.class);

    private StorageConfiguration() {
    }

    /** Binds {@code objectApi} and returns the store. */
    public static ObjectStore bind(CamelContext camelContext, AuthKeys keys, String brokerUrl, Path stateDir,
                                   SSLContext tls, Clock clock) {
        PropertiesComponent properties = camelContext.getPropertiesComponent();
        ObjectStore store = open(key -> properties.resolveProperty(key).orElse(null), keys, brokerUrl, stateDir, tls, clock);
        long maxObject = SettingValues.wholeNumber("offgrid.storage.max-object-bytes",
                setting(camelContext.getPropertiesComponent(), "offgrid.storage.max-object-bytes"));
        camelContext.getRegistry().bind("objectApi", new ObjectApi(store, maxObject));
        store.registerMeters(RoleMeters.of(camelContext));
        return store;
    }

    /** The store alone (the core's, or the one {@code restore} reads with). */
    public static ObjectStore open(Function<String, String> properties, AuthKeys keys, String brokerUrl, Path stateDir,
                                   SSLContext tls, Clock clock) {
        StorageScheme scheme;
        try {
            scheme = StorageScheme.parse(setting(properties, "offgrid.storage.scheme"));
        } catch (IllegalArgumentException e) {
            throw new RoleStartException(e.getMessage());
        }
        String quorum = optional(properties, "offgrid.storage.write-quorum");
        StorageSettings settings = new StorageSettings(scheme,
                quorum.isEmpty() ? 0 : (int) SettingValues.wholeNumber("offgrid.storage.write-quorum", quorum),
                SettingValues.wholeNumber("offgrid.storage.max-object-bytes", setting(properties, "offgrid.storage.max-object-bytes")),
                Duration.ofMillis(SettingValues.wholeNumber("offgrid.storage.shard-timeout-ms",
                        setting(properties, "offgrid.storage.shard-timeout-ms"))));
        ObjectCipher cipher = new ObjectCipher();
        byte[] storageKey = StorageKey.load(optional(properties, StorageKey.SETTING), stateDir, cipher);
        RequestSigner signer = new RequestSigner(keys, clock);
        ShardClient shards = new ShardClient(signer, settings.shardTimeout(), tls,
                settings.maxObjectBytes() + ObjectCipher.TAG_BYTES);
        MeshClient mesh = new MeshClient(brokerUrl, signer, settings.shardTimeout(), tls);
        ManifestBook book = new ManifestBook(stateDir.resolve("objects"));
        LOG.info("core storage: scheme {}, write quorum {}, objects up to {} bytes, {} objects known",
                scheme == null ? "auto" : "rs-" + scheme.k() + "-" + scheme.m(),
                settings.writeQuorum() > 0 ? settings.writeQuorum() : "k+1", settings.maxObjectBytes(), book.all().size());
        return new ObjectStore(book, mesh, shards, cipher, storageKey, settings, clock);
    }

    private static String setting(PropertiesComponent properties, String key) {
        return setting(k -> properties.resolveProperty(k).orElse(null), key);
    }

    private static String setting(Function<String, String> properties, String key) {
        String value = properties.apply(key);
        if (value == null) {
            throw new RoleStartException("setting '" + key + "' is missing");
        }
        return value.strip();
    }

    private static String optional(Function<String, String> properties, String key) {
        String value = properties.apply(key);
        return value == null ? "" : value.strip();
    }
}
