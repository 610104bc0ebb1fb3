package com.sheratan.offgrid.core;

import com.sheratan.offgrid.config.SettingValues;
import com.sheratan.offgrid.security.AuthKeys;
import com.sheratan.offgrid.security.AuthKeysConfiguration;
import java.net.URI;
import java.nio.file.Path;
import org.apache.camel.CamelContext;
import org.apache.camel.spi.PropertiesComponent;

/** The core's settings, read once from the role's properties (application.properties, .env, environment). */
public record CoreSettings(CoreMode mode, String brokerUrl, AuthKeys keys, Path inboxDir, Path fileQueueDir,
                           Path resultsDir, Path stateDir, long maxBodyBytes, long brokerConnectTimeoutMs,
                           long brokerTimeoutMs, int brokerRetries, long brokerRetryMaxDelayMs, long brokerResendMs,
                           long probeTimeoutMs, long probeCacheMs, int defaultPageSize,
                           int maxConcurrentDispatches, Path userRoutesDir) {

    public CoreSettings {
        URI broker;
        try {
            broker = URI.create(brokerUrl);
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("OFFGRID_BROKER_URL '" + brokerUrl + "' is not a URL: " + e.getMessage(), e);
        }
        if (!("http".equals(broker.getScheme()) || "https".equals(broker.getScheme())) || broker.getHost() == null) {
            throw new IllegalStateException("OFFGRID_BROKER_URL '" + brokerUrl + "' must be an http(s) URL like http://127.0.0.1:9000");
        }
        if (brokerUrl.endsWith("/") || broker.getRawQuery() != null) {
            throw new IllegalStateException("OFFGRID_BROKER_URL '" + brokerUrl
                    + "' must be the broker's base URL without a trailing '/' or query, e.g. http://127.0.0.1:9000");
        }
    }

    public static CoreSettings from(CamelContext context) {
        PropertiesComponent properties = context.getPropertiesComponent();
        Reader read = key -> properties.resolveProperty(key)
                .orElseThrow(() -> new IllegalStateException("setting '" + key + "' is missing"));
        return new CoreSettings(
                CoreMode.parse(read.get("offgrid.mode")),
                read.get("offgrid.broker-url"),
                AuthKeysConfiguration.keys(context),
                Path.of(read.get("offgrid.core.inbox-dir")),
                Path.of(read.get("offgrid.core.file-queue-dir")),
                Path.of(read.get("offgrid.core.results-dir")),
                Path.of(read.get("offgrid.core.state-dir")),
                wholeNumber(read, "offgrid.core.max-body-bytes"),
                wholeNumber(read, "offgrid.core.broker-connect-timeout-ms"),
                wholeNumber(read, "offgrid.core.broker-timeout-ms"),
                intNumber(read, "offgrid.core.broker-retries"),
                wholeNumber(read, "offgrid.core.broker-retry-max-delay-ms"),
                wholeNumber(read, "offgrid.core.broker-resend-ms"),
                wholeNumber(read, "offgrid.core.probe-timeout-ms"),
                wholeNumber(read, "offgrid.core.probe-cache-ms"),
                intNumber(read, "offgrid.core.page-size"),
                intNumber(read, "offgrid.core.max-concurrent-dispatches"),
                Path.of(read.get("offgrid.core.user-routes-dir")));
    }

    private static long wholeNumber(Reader read, String key) {
        return SettingValues.wholeNumber(key, read.get(key));
    }

    private static int intNumber(Reader read, String key) {
        return SettingValues.intNumber(key, read.get(key));
    }

    /**
     * The longest a dispatch can wait on the broker: the first call and every retry of a 503, each up to
     * the connect plus the answer timeout, and the pauses between them (at most the longest delay each),
     * then sending again after a broken connection for up to the resend time and one last call.
     * The HTTP worker that took the job waits all that time (core-dispatch.yaml).
     */
    public long longestDispatchMs() {
        return (brokerRetries + 2L) * (brokerConnectTimeoutMs + brokerTimeoutMs) + brokerRetries * brokerRetryMaxDelayMs
                + brokerResendMs + brokerRetryMaxDelayMs;
    }

    /**
     * The URL of the broker's auction endpoint, as the status probe ({@link BrokerProbe}) calls it. The
     * dispatch route builds the same URL itself ({@code {{offgrid.broker-url}}/auction} in
     * core-dispatch.yaml); the signer uses {@link #auctionPath()}, which is derived from this URL.
     */
    public URI auctionUri() {
        return URI.create(brokerUrl + "/auction");
    }

    /** The path (with any prefix of the broker URL) the signature covers. */
    public String auctionPath() {
        String path = auctionUri().getRawPath();
        return path == null || path.isEmpty() ? "/auction" : path;
    }

    private interface Reader {
        String get(String key);
    }
}
