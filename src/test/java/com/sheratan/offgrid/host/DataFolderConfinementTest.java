package com.sheratan.offgrid.host;

import static com.sheratan.offgrid.testing.Http.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.sheratan.offgrid.testing.TestRoles;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Bad file arguments get INVALID_ARGS, and nothing is ever written outside data/<node-id>/. */
class DataFolderConfinementTest {
    @TempDir
    Path home;
    @TempDir
    Path outside;
    TestRoles roles;
    HostCalls calls;
    Path data;

    @BeforeEach
    void start() throws IOException {
        roles = new TestRoles(home);
        calls = new HostCalls(roles.host("host-f", Map.of()));
        data = home.resolve("data/host-f");
        Files.writeString(outside.resolve("secret.txt"), "outside the data folder");
    }

    @AfterEach
    void stop() {
        roles.close();
    }

    private JsonNode refused(String kind, Map<String, ?> args) {
        HttpResponse<String> response = calls.run(HostCalls.job(kind, args));
        assertEquals(400, response.statusCode(), response.body());
        JsonNode body = json(response);
        assertFalse(body.get("ok").asBoolean());
        assertEquals("INVALID_ARGS", body.get("error_code").asText());
        return body;
    }

    @Test
    void absolutePathsAreRefused() {
        Path target = outside.resolve("abs.txt");
        refused("write_file", Map.of("path", target.toString(), "content", "x"));
        refused("read_file", Map.of("path", outside.resolve("secret.txt").toString()));
        refused("list_files", Map.of("path", "/"));
        refused("write_file", Map.of("path", "\\windows\\x.txt", "content", "x"));
        assertFalse(Files.exists(target));
    }

    @Test
    void dotDotIsRefusedEvenWhenItWouldStayInside() throws IOException {
        refused("write_file", Map.of("path", "../escape.txt", "content", "x"));
        refused("write_file", Map.of("path", "a/../../escape.txt", "content", "x"));
        refused("write_file", Map.of("path", "a/../inside.txt", "content", "x"));
        refused("read_file", Map.of("path", "../../pom.xml"));
        refused("list_files", Map.of("path", ".."));
        assertFalse(Files.exists(home.resolve("data/escape.txt")));
        assertFalse(Files.exists(home.resolve("escape.txt")));
        assertEquals(List.of(), listAll(data));
    }

    @Test
    void linksOutOfTheFolderAreRefused() throws IOException {
        Files.createSymbolicLink(data.resolve("out-dir"), outside);
        Files.createSymbolicLink(data.resolve("out-file.txt"), outside.resolve("secret.txt"));
        Files.createSymbolicLink(data.resolve("dangling.txt"), outside.resolve("not-there.txt"));

        refused("write_file", Map.of("path", "out-dir/planted.txt", "content", "x"));
        refused("write_file", Map.of("path", "out-dir/deeper/planted.txt", "content", "x"));
        refused("write_file", Map.of("path", "out-file.txt", "content", "overwritten"));
        refused("write_file", Map.of("path", "dangling.txt", "content", "x"));
        refused("read_file", Map.of("path", "out-file.txt"));
        refused("read_file", Map.of("path", "out-dir/secret.txt"));
        refused("list_files", Map.of("path", "out-dir"));

        assertEquals("outside the data folder", Files.readString(outside.resolve("secret.txt")));
        assertEquals(List.of(outside.resolve("secret.txt")), listAll(outside));
        assertTrue(Files.isSymbolicLink(data.resolve("out-file.txt")), "the link itself is left alone");

        // a link that stays inside the folder is fine
        Files.createDirectories(data.resolve("real"));
        Files.createSymbolicLink(data.resolve("alias"), data.resolve("real"));
        assertTrue(json(calls.run(HostCalls.job("write_file", Map.of("path", "alias/ok.txt", "content", "in"))))
                .get("ok").asBoolean());
        assertEquals("in", Files.readString(data.resolve("real/ok.txt")));
    }

    @Test
    void fileOverLimitIsRefusedAndNotWritten() throws IOException {
        byte[] twoMb = new byte[2 * 1024 * 1024 + 1];
        String b64 = Base64.getEncoder().encodeToString(twoMb);
        JsonNode body = refused("write_file", Map.of("path", "big.bin", "content_b64", b64, "limit_mb", 2));
        assertTrue(body.get("error").asText().contains("limit_mb"), body.toString());
        assertFalse(Files.exists(data.resolve("big.bin")));
        assertEquals(List.of(), listAll(data), "no temporary file left behind");

        Files.write(data.resolve("big-read.bin"), twoMb);
        refused("read_file", Map.of("path", "big-read.bin", "limit_mb", 1));
        assertTrue(json(calls.run(HostCalls.job("read_file", Map.of("path", "big-read.bin", "limit_mb", 3))))
                .get("ok").asBoolean());
    }

    @Test
    void invalidBase64IsRefused() {
        refused("write_file", Map.of("path", "bad.bin", "content_b64", "@@not-base64@@"));
        assertFalse(Files.exists(data.resolve("bad.bin")));
    }

    @Test
    void missingPathIsRefused() {
        JsonNode write = refused("write_file", Map.of("content", "x"));
        assertTrue(write.get("error").asText().contains("args.path"), write.toString());
        refused("read_file", Map.of());
        refused("write_file", Map.of("path", "", "content", "x"));
        refused("write_file", Map.of("path", "no-content.txt"));
        refused("read_file", Map.of("path", "missing.txt"));
    }

    private static List<Path> listAll(Path folder) throws IOException {
        try (Stream<Path> files = Files.walk(folder)) {
            return files.filter(p -> !p.equals(folder)).sorted().toList();
        }
    }
}
