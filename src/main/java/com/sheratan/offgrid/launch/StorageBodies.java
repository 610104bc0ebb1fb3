package com.sheratan.offgrid.launch;

import com.sheratan.offgrid.storage.StorageHeaders;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import java.util.List;
import java.util.Locale;

/**
 * A storage body (objects on the core, shards on a host) is bytes, whatever its content type (SPEC 13:
 * any content type). A form type ({@code application/x-www-form-urlencoded}, what
 * {@code curl --data-binary} sends by default, or {@code multipart/form-data}) would make the HTTP
 * server decode the body as a form and fail on binary bytes, so on the storage paths it is handed on
 * as {@link StorageHeaders#SENT_CONTENT_TYPE} and the body is read as {@code application/octet-stream};
 * the object keeps the type it was sent with.
 */
record StorageBodies(List<String> storagePaths) {

    Handler<HttpServerRequest> before(Handler<HttpServerRequest> next) {
        if (storagePaths.isEmpty()) {
            return next;
        }
        return request -> {
            if (storagePaths.stream().anyMatch(request.path()::startsWith)) {
                readAsBytes(request);
            }
            next.handle(request);
        };
    }

    private static void readAsBytes(HttpServerRequest request) {
        request.headers().remove(StorageHeaders.SENT_CONTENT_TYPE);
        String type = request.getHeader(HttpHeaders.CONTENT_TYPE);
        String base = type == null ? "" : type.split(";", 2)[0].strip().toLowerCase(Locale.ROOT);
        if (base.equals("application/x-www-form-urlencoded") || base.equals("multipart/form-data")) {
            request.headers().set(StorageHeaders.SENT_CONTENT_TYPE, type);
            request.headers().set(HttpHeaders.CONTENT_TYPE, "application/octet-stream");
        }
    }
}
