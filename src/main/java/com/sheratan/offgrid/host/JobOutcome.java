package com.sheratan.offgrid.host;

/** What a job kind produced: the text {@code output} and the kind's own {@code result} object. */
public record JobOutcome(String output, Object result) {
}
