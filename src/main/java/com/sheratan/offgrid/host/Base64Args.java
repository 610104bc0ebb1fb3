package com.sheratan.offgrid.host;

import java.util.Base64;

/** Base64 arguments, strictly decoded: anything that is not Base64 is {@code INVALID_ARGS}. */
final class Base64Args {
    private Base64Args() {
    }

    static byte[] decode(String value, String name) {
        try {
            return Base64.getDecoder().decode(value.strip());
        } catch (IllegalArgumentException e) {
            throw JobFailure.invalidArgs("args." + name + " is not valid Base64: " + e.getMessage());
        }
    }
}
