package com.sheratan.offgrid.broker;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sheratan.offgrid.config.EscapingLogger;
import com.sheratan.offgrid.contract.AtomicFile;
import com.sheratan.offgrid.contract.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;

/**
 * The receipt key the broker trusts for each node id (SPEC section 12): the {@code verify_key} the
 * node first announced ({@code GET /announce}), pinned and kept in {@code host-keys.json} in the
 * broker's state folder across restarts. A receipt signed with another key is refused with a WARN,
 * unless {@code discovery/mesh_hosts.json} lists that key as the host's {@code verify_key}: the
 * operator's word re-pins the node.
 */
public final class HostKeyPins {
    static final String FILE = "host-keys.json";
    private static final Logger LOG = EscapingLogger.of(HostKeyPins.class);

    private final Path file;
    private final HostClient client;
    private final Map<String, String> pins = new ConcurrentHashMap<>();

    public HostKeyPins(Path stateDir, HostClient client) {
        this.file = stateDir.resolve(FILE);
        this.client = client;
        load();
    }

    private void load() {
        if (!Files.isRegularFile(file)) {
            return;
        }
        try {
            JsonNode json = Json.mapper().readTree(file.toFile());
            json.properties().forEach(e -> pins.put(e.getKey(), e.getValue().asText()));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the pinned host keys " + file + ": " + e.getMessage(), e);
        }
    }

    /**
     * Null when {@code receiptKey} is the key trusted for the node the job went to, else why not.
     * The first receipt of a node pins the key its {@code /announce} gives.
     */
    public String problem(HostEntry host, String nodeId, String receiptKey) {
        if (host != null && host.verifyKey() != null) {
            if (!host.verifyKey().equals(receiptKey)) {
                return "its verify_key is not the one " + "mesh_hosts.json lists for " + nodeId;
            }
            String before = pins.put(nodeId, receiptKey);
            if (!receiptKey.equals(before)) {
                LOG.info("pinned the receipt key of {} that mesh_hosts.json lists{}", nodeId,
                        before == null ? "" : " (it replaces the key pinned before)");
                save();
            }
            return null;
        }
        String pinned = pins.get(nodeId);
        if (pinned == null) {
            String announced = announcedKey(host, nodeId);
            if (announced == null) {
                return "the key of " + nodeId + " is not known: its /announce gave no verify_key for that node id";
            }
            String first = pins.putIfAbsent(nodeId, announced);
            pinned = first == null ? announced : first;
            if (first == null) {
                LOG.info("pinned the receipt key {} announced by {} ({})", shortKey(announced), nodeId,
                        host == null ? "?" : host.url());
                save();
            }
        }
        if (!pinned.equals(receiptKey)) {
            LOG.warn("refused a receipt of {}: signed with key {}, but the key pinned for {} is {}; list the new key as"
                    + " its verify_key in mesh_hosts.json to accept it", nodeId, shortKey(receiptKey), nodeId,
                    shortKey(pinned));
            return "signed with a key that is not the one pinned for " + nodeId + " (a changed key is refused)";
        }
        return null;
    }

    private String announcedKey(HostEntry host, String nodeId) {
        if (host == null) {
            return null;
        }
        HostClient.Answer answer = client.announce(host.url()).join();
        JsonNode json = answer.json();
        if (answer.status() != 200 || json == null || !nodeId.equals(json.path("node_id").asText(null))
                || !json.path("verify_key").isTextual()) {
            LOG.warn("cannot pin the receipt key of {}: {}/announce answered {}", nodeId, host.url(),
                    answer.answered() ? "HTTP " + answer.status() + " " + (json == null ? "" : json) : answer.problem());
            return null;
        }
        return json.get("verify_key").asText();
    }

    private synchronized void save() {
        ObjectNode json = Json.mapper().createObjectNode();
        new TreeMap<>(pins).forEach(json::put);
        try {
            AtomicFile.write(file, Json.mapper().writerWithDefaultPrettyPrinter().writeValueAsBytes(json),
                    AtomicFile.Sync.DURABLE);
        } catch (IOException e) {
            LOG.error("cannot write the pinned host keys to {}: {}", file, e.getMessage());
        }
    }

    private static String shortKey(String key) {
        return key == null ? "none" : key.length() > 16 ? "…" + key.substring(key.length() - 16) : key;
    }
}
