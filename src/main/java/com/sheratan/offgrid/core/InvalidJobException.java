package com.sheratan.offgrid.core;

/** A document that is not a valid job; the message is the {@code detail} the user sees (HTTP 400, reason.txt). */
public class InvalidJobException extends Exception {
    public InvalidJobException(String detail) {
        super(detail);
    }
}
