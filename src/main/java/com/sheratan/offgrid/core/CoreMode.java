package com.sheratan.offgrid.core;

import java.util.Locale;

/** {@code OFFGRID_MODE} (SPEC section 4): where a job may go. */
public enum CoreMode {
    /** broker first; the file queue when the mesh cannot take the job */
    AUTO,
    /** broker only; a job the mesh cannot take ends {@code failed} */
    OFFGRID,
    /** file queue only */
    DISABLED;

    public static final String VALID_VALUES = "auto|offgrid|disabled";

    /** The mode of a setting value; anything else stops the core with an error naming the valid values. */
    public static CoreMode parse(String value) {
        String given = value == null ? "" : value;
        for (CoreMode mode : values()) {
            if (mode.value().equals(given)) {
                return mode;
            }
        }
        throw new IllegalStateException("invalid OFFGRID_MODE '" + given + "': use one of " + VALID_VALUES);
    }

    public String value() {
        return name().toLowerCase(Locale.ROOT);
    }
}
