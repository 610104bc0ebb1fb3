package com.sheratan.offgrid.broker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Reading the discovery file: both shapes, bad entries, fallbacks, and parsing only on change. */
class DiscoveryFileTest {
    private static final List<String> FALLBACK = List.of("http://127.0.0.1:8081", "http://127.0.0.1:8082/");

    @TempDir
    Path dir;

    private final AtomicLong now = new AtomicLong(1_000_000);
    private final Clock clock = new Clock() {
        @Override
        public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return Instant.ofEpochMilli(now.get());
        }
    };

    private DiscoveryFile discovery() {
        return new DiscoveryFile(dir.resolve("mesh_hosts.json"), FALLBACK, 1000, clock);
    }

    private void write(String content) throws IOException {
        Files.writeString(dir.resolve("mesh_hosts.json"), content);
    }

    @Test
    void readsAnObjectKeyedByUrl() throws IOException {
        write("{\"http://10.0.0.5:8081/\": {\"node_id\": \"n1\", \"via\": \"ble\", \"last_seen\": \"2026-01-01T00:00:00Z\"},"
                + " \"https://Node2.example:443\": {\"node_id\": \"n2\", \"active\": false}}");
        Discovery found = discovery().current();
        assertEquals("file", found.source());
        assertEquals(List.of(
                new HostEntry("http://10.0.0.5:8081", "n1", "ble", true, "2026-01-01T00:00:00Z"),
                new HostEntry("https://node2.example:443", "n2", null, false, null)), found.hosts());
    }

    @Test
    void readsAListOfUrlsOrObjectsAndSkipsBadOrDuplicateEntries() throws IOException {
        write("[\"http://a:1\", {\"url\": \"http://b:2\", \"node_id\": \"b\"}, \"http://a:1/\", \"ftp://c:3\","
                + " {\"url\": \"http://d:4\", \"node_id\": \"b\"}, {\"node_id\": \"no-url\"}, null, \"http://e:5/x?y=1\"]");
        Discovery found = discovery().current();
        assertEquals(List.of("http://a:1", "http://b:2"), found.hosts().stream().map(HostEntry::url).toList());
        assertNull(found.hosts().get(0).nodeId());
    }

    @Test
    void fallsBackWhenMissingEmptyOrGarbage() throws IOException {
        Discovery missing = discovery().current();
        assertTrue(missing.isFallback());
        assertTrue(missing.why().contains("does not exist"), missing.why());
        assertEquals(List.of("http://127.0.0.1:8081", "http://127.0.0.1:8082"),
                missing.hosts().stream().map(HostEntry::url).toList());

        write("   \n");
        assertTrue(discovery().current().why().contains("is empty"));
        write("{}");
        assertTrue(discovery().current().why().contains("no usable host"));
        write("<xml/>");
        assertTrue(discovery().current().why().contains("not valid JSON"));
        write("\"http://a:1\"");
        assertTrue(discovery().current().why().contains("neither an object"));
    }

    @Test
    void parsesOnlyWhenTheFileChangedAndLooksNoMoreOftenThanTheCheckInterval() throws IOException {
        write("[\"http://a:1\"]");
        DiscoveryFile discovery = discovery();
        Discovery first = discovery.current();
        assertSame(first, discovery.current());

        write("[\"http://b:2\", \"http://c:3\"]");
        Files.setLastModifiedTime(dir.resolve("mesh_hosts.json"), FileTime.fromMillis(System.currentTimeMillis() + 5000));
        assertSame(first, discovery.current(), "not looked at again within the check interval");
        now.addAndGet(1000);
        Discovery second = discovery.current();
        assertEquals(2, second.hosts().size());
        now.addAndGet(1000);
        assertSame(second, discovery.current(), "unchanged file is not parsed again");

        Files.delete(dir.resolve("mesh_hosts.json"));
        now.addAndGet(1000);
        assertTrue(discovery.current().isFallback());
    }

    @Test
    void normalizesUrls() {
        assertEquals("http://h:1", DiscoveryFile.normalizeUrl(" HTTP://H:1/ "));
        assertEquals("https://h/prefix", DiscoveryFile.normalizeUrl("https://h/prefix/"));
        assertNull(DiscoveryFile.normalizeUrl("ftp://h"));
        assertNull(DiscoveryFile.normalizeUrl("h:8081"));
        assertNull(DiscoveryFile.normalizeUrl("http://"));
        assertFalse(DiscoveryFile.normalizeUrl("http://h:1").endsWith("/"));
    }
}
