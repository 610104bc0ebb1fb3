package com.sheratan.offgrid.config;

/** A role could not start; the message is what the user sees and can act on. */
public class RoleStartException extends RuntimeException {
    public RoleStartException(String message) {
        super(message);
    }

    public RoleStartException(String message, Throwable cause) {
        super(message, cause);
    }
}
