package com.sheratan.offgrid.ledger;

import com.fasterxml.jackson.databind.JsonNode;
import com.sheratan.offgrid.contract.Json;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** Reads a broker's public ledger endpoints (SPEC section 12) for {@code ledger verify --url} and {@code ledger audit}. */
public final class LedgerClient {
    private static final int PAGE = 1000;
    private final String baseUrl;
    private final HttpClient http;

    public LedgerClient(String baseUrl) {
        this(baseUrl, null);
    }

    /** A client that verifies an https:// broker against {@code tls} (the mesh's CA); null = the JDK's trust. */
    public LedgerClient(String baseUrl, javax.net.ssl.SSLContext tls) {
        this.baseUrl = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
        HttpClient.Builder builder = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5));
        if (tls != null) {
            builder.sslContext(tls);
        }
        this.http = builder.build();
    }

    public String baseUrl() {
        return baseUrl;
    }

    public Checkpoint checkpoint() throws IOException {
        try {
            return Checkpoint.fromJson(get("/ledger/checkpoint"));
        } catch (IllegalArgumentException e) {
            throw new IOException(baseUrl + "/ledger/checkpoint is not a checkpoint: " + e.getMessage(), e);
        }
    }

    public JsonNode balances() throws IOException {
        return get("/ledger/balances");
    }

    /** Every record {@code {seq, leaf_hash, entry}} from 0 to {@code size - 1}, a page at a time. */
    public List<JsonNode> records(long size) throws IOException {
        List<JsonNode> records = new ArrayList<>();
        while (records.size() < size) {
            JsonNode page = get("/ledger/entries?start=" + records.size() + "&limit=" + Math.min(PAGE, size - records.size()));
            JsonNode entries = page.path("entries");
            if (entries.isEmpty()) {
                throw new IOException("the broker gave no entries from seq " + records.size() + " though it has "
                        + page.path("tree_size").asLong());
            }
            entries.forEach(records::add);
        }
        return records;
    }

    public JsonNode recordsOfJob(String jobId) throws IOException {
        return get("/ledger/jobs/" + java.net.URLEncoder.encode(jobId, java.nio.charset.StandardCharsets.UTF_8)
                .replace("+", "%20"));
    }

    public JsonNode inclusionProof(long seq, long treeSize) throws IOException {
        return get("/ledger/proof?seq=" + seq + "&tree_size=" + treeSize);
    }

    /** {@code {first, second, proof:[hex…]}}: that the tree of {@code first} entries is a prefix of that of {@code second}. */
    public JsonNode consistencyProof(long first, long second) throws IOException {
        return get("/ledger/consistency?first=" + first + "&second=" + second);
    }

    /** The broker answered, with another status than 200 (a broker without a ledger answers 404 {@code ledger_disabled}). */
    public static final class Refused extends IOException {
        private static final long serialVersionUID = 1L;
        private final int status;
        private final String error;

        Refused(String message, int status, String error) {
            super(message);
            this.status = status;
            this.error = error;
        }

        public int status() {
            return status;
        }

        /** The answer's {@code error} code, or null when it had none. */
        public String error() {
            return error;
        }
    }

    private JsonNode get(String path) throws IOException {
        HttpRequest request = HttpRequest.newBuilder(URI.create(baseUrl + path)).timeout(Duration.ofSeconds(30)).GET().build();
        HttpResponse<byte[]> response;
        try {
            response = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while asking " + baseUrl + path, e);
        } catch (IOException e) {
            throw new IOException("cannot reach " + baseUrl + path + ": " + e, e);
        }
        if (response.statusCode() != 200) {
            String error;
            try {
                JsonNode body = Json.mapper().readTree(response.body());
                error = body != null && body.path("error").isTextual() ? body.path("error").asText() : null;
            } catch (IOException notJson) {
                error = null;
            }
            throw new Refused(baseUrl + path + " answered HTTP " + response.statusCode() + ": "
                    + new String(response.body(), java.nio.charset.StandardCharsets.UTF_8), response.statusCode(), error);
        }
        return Json.mapper().readTree(response.body());
    }
}
