package com.sheratan.offgrid.core;

import com.sheratan.offgrid.contract.AtomicFile;
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
            if (Files.isSymbolicLink(errors)) {
                throw new IOException(ERROR + " is a link; no reason file is written through it");
            }
            // a temporary file of its own, then a rename: a link placed at the name is replaced, never followed
            AtomicFile.write(errors.resolve(name + ".reason.txt"),
                    (reason + System.lineSeparator()).getBytes(StandardCharsets.UTF_8), AtomicFile.Sync.NOT_SYNCED);
        } catch (IOException e) {
            log.error("cannot write {}/{}.reason.txt: {}", errors, name, e.getMessage());
        }
        log.warn("{} moved to {}/: {}", folder.resolve(name), ERROR, reason);
        exchange.setProperty(CoreExchange.FILE_OUTCOME, ERROR);
        exchange.setRouteStop(true);
    }
}
