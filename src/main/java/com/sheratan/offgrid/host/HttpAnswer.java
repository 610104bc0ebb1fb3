package com.sheratan.offgrid.host;

/** An HTTP status and the JSON body that goes with it. */
public record HttpAnswer(int status, Object body) {
    public static HttpAnswer ok(Object body) {
        return new HttpAnswer(200, body);
    }
}
