package com.sheratan.offgrid.broker;

import com.sheratan.offgrid.config.EscapingLogger;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.sheratan.offgrid.contract.Json;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.slf4j.Logger;

/**
 * {@code discovery/mesh_hosts.json} (SPEC section 7): an object keyed by host base URL, each
 * {@code {node_id, via?, last_seen?, active?}}, or a list of URLs or of such objects (with {@code url},
 * {@code host} or {@code base_url}).
 * The file is parsed only when its modification time or size changed, and looked at no more often
 * than every {@code checkEvery}; a missing, empty, unreadable or garbage file falls back to the
 * configured hosts with a WARN that says why. Bad entries (not http(s), duplicates) are skipped with a WARN.
 */
public final class DiscoveryFile {
    private static final Logger LOG = EscapingLogger.of(DiscoveryFile.class);

    private final Path file;
    private final List<String> fallbackUrls;
    private final long checkEveryMillis;
    private final Clock clock;

    private volatile Discovery current;
    private volatile long nextCheckMillis;
    private FileStamp lastStamp;

    public DiscoveryFile(Path file, List<String> fallbackUrls, long checkEveryMillis, Clock clock) {
        this.file = file;
        this.fallbackUrls = List.copyOf(fallbackUrls);
        this.checkEveryMillis = checkEveryMillis;
        this.clock = clock;
    }

    /** The hosts as of the last look at the file; looks again when {@code checkEvery} has passed. */
    public Discovery current() {
        Discovery known = current;
        if (known == null || clock.millis() >= nextCheckMillis) {
            return refresh();
        }
        return known;
    }

    public Path file() {
        return file;
    }

    private synchronized Discovery refresh() {
        long now = clock.millis();
        if (current != null && now < nextCheckMillis) {
            return current;
        }
        FileStamp stamp = FileStamp.of(file);
        if (current == null || !stamp.equals(lastStamp)) {
            current = read(stamp);
            lastStamp = stamp;
        }
        nextCheckMillis = now + checkEveryMillis;
        return current;
    }

    private Discovery read(FileStamp stamp) {
        if (!stamp.exists()) {
            return fallback("discovery file " + file + " does not exist");
        }
        final byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (IOException e) {
            return fallback("discovery file " + file + " cannot be read (" + e + ")");
        }
        if (new String(bytes, java.nio.charset.StandardCharsets.UTF_8).isBlank()) {
            return fallback("discovery file " + file + " is empty");
        }
        final JsonNode root;
        try {
            root = Json.mapper().readTree(bytes);
        } catch (JsonProcessingException e) {
            return fallback("discovery file " + file + " is not valid JSON (" + e.getOriginalMessage() + ")");
        } catch (IOException e) {
            return fallback("discovery file " + file + " cannot be read (" + e + ")");
        }
        List<HostEntry> hosts = new ArrayList<>();
        Set<String> urls = new HashSet<>();
        Set<String> nodeIds = new HashSet<>();
        if (root.isObject()) {
            for (Map.Entry<String, JsonNode> field : root.properties()) {
                add(hosts, urls, nodeIds, field.getKey(), field.getValue());
            }
        } else if (root.isArray()) {
            for (JsonNode item : root) {
                if (item.isTextual()) {
                    add(hosts, urls, nodeIds, item.asText(), null);
                } else if (item.isObject()) {
                    add(hosts, urls, nodeIds, firstText(item, "url", "host", "base_url"), item);
                } else {
                    LOG.warn("discovery file {}: ignoring entry {}: neither a URL nor an object", file, item);
                }
            }
        } else {
            return fallback("discovery file " + file + " is neither an object keyed by host URL nor a list");
        }
        if (hosts.isEmpty()) {
            return fallback("discovery file " + file + " lists no usable host");
        }
        LOG.info("discovery: {} host(s) from {}: {}", hosts.size(), file,
                hosts.stream().map(h -> (h.nodeId() == null ? "" : h.nodeId() + "=") + h.url()
                        + (h.active() ? "" : " (inactive)")).toList());
        return new Discovery(hosts, "file", null);
    }

    private void add(List<HostEntry> hosts, Set<String> urls, Set<String> nodeIds, String rawUrl, JsonNode details) {
        String url = normalizeUrl(rawUrl);
        if (url == null) {
            LOG.warn("discovery file {}: ignoring host '{}': not an http(s) URL", file, rawUrl);
            return;
        }
        if (details != null && !details.isObject() && !details.isTextual() && !details.isNull()) {
            LOG.warn("discovery file {}: ignoring host {}: its details are not an object", file, url);
            return;
        }
        String nodeId = details == null ? null
                : details.isTextual() ? blankToNull(details.asText()) : firstText(details, "node_id");
        if (!urls.add(url)) {
            LOG.warn("discovery file {}: ignoring duplicate host {}", file, url);
            return;
        }
        if (nodeId != null && !nodeIds.add(nodeId)) {
            LOG.warn("discovery file {}: ignoring host {}: node_id '{}' is already used by another host", file, url, nodeId);
            return;
        }
        boolean active = details == null || !details.isObject() || !details.has("active")
                || details.get("active").asBoolean(true);
        String via = details != null && details.isObject() ? firstText(details, "via") : null;
        String lastSeen = details != null && details.isObject() ? firstText(details, "last_seen") : null;
        String verifyKey = details != null && details.isObject() ? firstText(details, "verify_key") : null;
        hosts.add(new HostEntry(url, nodeId, via, active, lastSeen, verifyKey));
    }

    private Discovery fallback(String why) {
        List<HostEntry> hosts = new ArrayList<>();
        for (String raw : fallbackUrls) {
            String url = normalizeUrl(raw);
            if (url != null) {
                hosts.add(new HostEntry(url, null, null, true, null));
            }
        }
        LOG.warn("{}; using the fallback hosts {}", why, hosts.stream().map(HostEntry::url).toList());
        return new Discovery(hosts, "fallback", why);
    }

    /** {@code http(s)://host[:port][/path]} without a trailing slash, or null when it is not such a URL. */
    static String normalizeUrl(String raw) {
        if (raw == null || raw.isBlank()) {
            return null;
        }
        try {
            URI uri = new URI(raw.strip());
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            if (!scheme.equals("http") && !scheme.equals("https") || uri.getHost() == null
                    || uri.getRawQuery() != null || uri.getRawFragment() != null) {
                return null;
            }
            String path = uri.getRawPath() == null ? "" : uri.getRawPath();
            while (path.endsWith("/")) {
                path = path.substring(0, path.length() - 1);
            }
            return scheme + "://" + uri.getRawAuthority().toLowerCase(Locale.ROOT) + path;
        } catch (URISyntaxException e) {
            return null;
        }
    }

    private static String firstText(JsonNode node, String... names) {
        for (String name : names) {
            JsonNode value = node.get(name);
            if (value != null && value.isValueNode() && !value.isNull() && !value.asText().isBlank()) {
                return value.asText().strip();
            }
        }
        return null;
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.strip();
    }

    /** What is compared to notice a change without reading the file. */
    private record FileStamp(boolean exists, long modifiedMillis, long size) {
        static FileStamp of(Path file) {
            try {
                BasicFileAttributes attributes = Files.readAttributes(file, BasicFileAttributes.class);
                return new FileStamp(true, attributes.lastModifiedTime().toMillis(), attributes.size());
            } catch (NoSuchFileException e) {
                return new FileStamp(false, 0, 0);
            } catch (IOException e) {
                // unreadable attributes: a stamp unlike a readable or missing file's, so the file is read
                // (a read that fails too falls back with a WARN saying why); the same error again gives
                // an equal stamp, so the file is read again only once the error's message changes or
                // the attributes can be read
                return new FileStamp(true, -1, Objects.hash(e.getMessage()));
            }
        }
    }
}
