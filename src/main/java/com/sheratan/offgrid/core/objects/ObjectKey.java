package com.sheratan.offgrid.core.objects;

import java.util.regex.Pattern;

/** An object's key (SPEC 13): 1–512 characters of {@code [A-Za-z0-9._/-]}, no empty, {@code .} or {@code ..} segment. */
final class ObjectKey {
    private static final Pattern CHARACTERS = Pattern.compile("[A-Za-z0-9._/-]{1,512}");

    private ObjectKey() {
    }

    /** Why {@code key} is not a valid key, or null when it is. */
    static String problem(String key) {
        if (key == null || key.isEmpty()) {
            return "the key is empty";
        }
        if (key.length() > 512) {
            return "a key is at most 512 characters";
        }
        if (!CHARACTERS.matcher(key).matches()) {
            return "a key is made of A-Z a-z 0-9 . _ / - only";
        }
        for (String segment : key.split("/", -1)) {
            if (segment.isEmpty() || segment.equals(".") || segment.equals("..")) {
                return "a key has no empty, '.' or '..' segment";
            }
        }
        return null;
    }
}
