package com.sheratan.offgrid.launch;

import com.sheratan.offgrid.contract.Json;
import com.sheratan.offgrid.storage.StorageHeaders;
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
 *
 * <p>A storage body is bytes, whatever its content type (SPEC 13: any content type). A form type
 * ({@code application/x-www-form-urlencoded}, what {@code curl --data-binary} sends by default, or
 * {@code multipart/form-data}) would make the HTTP server decode it as a form and fail on binary
 * bytes, so on the storage paths it is handed on as {@link StorageHeaders#SENT_CONTENT_TYPE} and the body read
 * as {@code application/octet-stream}; the object keeps the type it was sent with.
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
            boolean storage = storagePaths.stream().anyMatch(request.path()::startsWith);
            if (declaredLength(request) > maxRequestBytes && !storage) {
                request.response().setStatusCode(413).putHeader("Content-Type", "application/json")
                        .putHeader("Connection", "close").end(tooLarge);
                return;
            }
            if (storage) {
                readAsBytes(request);
            }
            next.handle(request);
        };
    }

    private static void readAsBytes(HttpServerRequest request) {
        request.headers().remove(StorageHeaders.SENT_CONTENT_TYPE);
        String type = request.getHeader(HttpHeaders.CONTENT_TYPE);
        String base = type == null ? "" : type.split(";", 2)[0].strip().toLowerCase(java.util.Locale.ROOT);
        if (base.equals("application/x-www-form-urlencoded") || base.equals("multipart/form-data")) {
            request.headers().set(StorageHeaders.SENT_CONTENT_TYPE, type);
            request.headers().set(HttpHeaders.CONTENT_TYPE, "application/octet-stream");
        }
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
