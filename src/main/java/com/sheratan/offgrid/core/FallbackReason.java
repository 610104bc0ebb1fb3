package com.sheratan.offgrid.core;

import java.io.IOException;
import org.apache.camel.Exchange;

/**
 * Why a job left the broker path, as a reason code of SPEC §5 (the file queue's {@code reason}) plus a
 * detail for the log; docs/core.md (Dispatch) lists the codes and when each is given.
 */
record FallbackReason(String code, String detail) {
    static final String UNREACHABLE = "broker_unreachable";
    static final String AUTH_REJECTED = "broker_auth_rejected";
    static final String NO_HOSTS = "no_hosts";
    static final String BROKER_ERROR = "broker_error";
    static final String MODE_DISABLED = "mode_disabled";

    /** The reason set by the route (e.g. mode_disabled), else the one the caught exception carries. */
    static FallbackReason of(Exchange exchange) {
        String given = exchange.getProperty(CoreExchange.REASON, String.class);
        if (given != null) {
            return new FallbackReason(given, "OFFGRID_MODE=disabled");
        }
        Throwable caught = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        if (caught == null) {
            caught = exchange.getException();
        }
        return of(caught);
    }

    static FallbackReason of(Throwable caught) {
        for (Throwable t = caught; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof DispatchFailure failure) {
                return new FallbackReason(failure.reason(), failure.getMessage());
            }
            if (t instanceof IOException) {
                // connection refused, connect timeout, read timeout, connection reset: the broker is not there
                return new FallbackReason(UNREACHABLE, t.getClass().getSimpleName() + ": " + t.getMessage());
            }
        }
        return new FallbackReason(BROKER_ERROR, caught == null ? "unknown failure" : String.valueOf(caught.getMessage()));
    }
}
