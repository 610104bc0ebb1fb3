package com.sheratan.offgrid.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.sheratan.offgrid.launch.RunningRole;
import com.sheratan.offgrid.security.AuthKeys;
import com.sheratan.offgrid.security.Digests;
import com.sheratan.offgrid.security.RequestSigner;
import com.sheratan.offgrid.testing.Http;
import com.sheratan.offgrid.testing.TestRoles;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Request bodies: a host's /shards/ path takes shards up to offgrid.storage.max-object-bytes + 64 KiB,
 * every other path stays at offgrid.max-request-bytes; larger ones are 413 and nothing is stored.
 */
class StorageBodyLimitTest {
    private static final int MIB = 1024 * 1024;
    @TempDir
    Path home;

    @Test
    void shardsMayBeLargerThanOtherRequestsButNotLargerThanAnObject() {
        Http http = new Http();
        try (TestRoles roles = new TestRoles(home)) {
            RunningRole host = roles.host("host-l", Map.of("offgrid.max-request-bytes", String.valueOf(MIB),
                    "offgrid.storage.max-object-bytes", String.valueOf(3 * MIB)));
            ShardClient shards = new ShardClient(new RequestSigner(AuthKeys.parse("shared-secret", "", "default")),
                    Duration.ofSeconds(30), null, 64L << 20);

            byte[] twoMiB = new byte[2 * MIB];
            assertEquals(201, shards.put(host.baseUrl(), "host-l", "large-shard-00001", twoMiB,
                    Digests.sha256Hex(twoMiB)).join().status());

            byte[] fourMiB = new byte[4 * MIB];
            ShardClient.Answer tooLarge = shards.put(host.baseUrl(), "host-l", "large-shard-00002", fourMiB,
                    Digests.sha256Hex(fourMiB)).join();
            assertEquals(413, tooLarge.status());
            assertEquals(404, shards.get(host.baseUrl(), "host-l", "large-shard-00002").join().status());

            HttpResponse<String> run = http.send(HttpRequest.newBuilder(URI.create(host.baseUrl() + "/run"))
                    .POST(HttpRequest.BodyPublishers.ofByteArray(twoMiB)).header("Content-Type", "application/json").build());
            assertEquals(413, run.statusCode(), run.body());
        }
    }
}
