package com.sheratan.offgrid.core;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.camel.Exchange;
import org.slf4j.Logger;

/** Sends a consumed file to {@code .error/} with {@code <name>.reason.txt} beside it saying why. */
final class ReasonNote {
    static final String DONE = ".done";
    static final String ERROR = ".error";

    private ReasonNote() {
    }

    static void reject(Exchange exchange, Path folder, String reason, Logger log) {
        String name = exchange.getMessage().getHeader(Exchange.FILE_NAME_ONLY, String.class);
        Path errors = folder.resolve(ERROR);
        try {
            Files.createDirectories(errors);
            Files.writeString(errors.resolve(name + ".reason.txt"), reason + System.lineSeparator(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            log.error("cannot write {}/{}.reason.txt: {}", errors, name, e.getMessage());
        }
        log.warn("{} moved to {}/: {}", folder.resolve(name), ERROR, reason);
        exchange.setProperty(CoreExchange.FILE_OUTCOME, ERROR);
        exchange.setRouteStop(true);
    }
}
