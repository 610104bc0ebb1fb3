package com.sheratan.offgrid.launch;

import com.sheratan.offgrid.contract.Json;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import java.util.List;

/**
 * Keeps request bodies at {@code offgrid.max-request-bytes} on every path but the storage ones
 * (objects on the core, shards on a host), whose server-wide limit is higher
 * ({@link RoleLauncher#maxBodyBytes}): a request that declares a larger {@code Content-Length}
 * elsewhere is answered 413 before its body is read. (A chunked body, which declares no length, is
 * bounded by the server-wide limit.)
 */
record BodyLimit(long maxRequestBytes, List<String> storagePaths) {

    Handler<HttpServerRequest> before(Handler<HttpServerRequest> next) {
        if (storagePaths.isEmpty()) {
            return next;
        }
        String tooLarge = Json.mapper().createObjectNode().put("error", "payload_too_large")
                .put("detail", "the request body is over " + maxRequestBytes + " bytes (" + RoleLauncher.MAX_REQUEST_BYTES + ")")
                .toString();
        return request -> {
            if (declaredLength(request) > maxRequestBytes && storagePaths.stream().noneMatch(request.path()::startsWith)) {
                request.response().setStatusCode(413).putHeader("Content-Type", "application/json")
                        .putHeader("Connection", "close").end(tooLarge);
                return;
            }
            next.handle(request);
        };
    }

    private static long declaredLength(HttpServerRequest request) {
        String length = request.getHeader(HttpHeaders.CONTENT_LENGTH);
        try {
            return length == null ? -1 : Long.parseLong(length.strip());
        } catch (NumberFormatException e) {
            return -1;
        }
    }
}
