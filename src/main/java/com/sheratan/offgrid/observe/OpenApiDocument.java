package com.sheratan.offgrid.observe;

import com.sheratan.offgrid.contract.JsonAnswer;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import org.apache.camel.Exchange;

/** {@code GET /openapi.json} (SPEC 14): the role's OpenAPI 3 document, {@code openapi/<role>.json} in the jar. */
public final class OpenApiDocument {
    private final byte[] document;

    public OpenApiDocument(String role) {
        String resource = "openapi/" + role + ".json";
        try (InputStream in = OpenApiDocument.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("the OpenAPI document " + resource + " is not in the jar");
            }
            document = in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + resource, e);
        }
    }

    public void answer(Exchange exchange) {
        JsonAnswer.put(exchange.getMessage(), 200, document);
    }
}
