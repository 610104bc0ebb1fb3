package com.sheratan.offgrid.config;

/**
 * A setting's text read as a number, the same way for every role: a value that is not one stops the
 * role with an error naming the setting and the value ({@code setting 'offgrid.core.broker-timeout-ms'
 * must be a whole number, was 'abc'}), never a bare {@code NumberFormatException}.
 */
public final class SettingValues {
    private SettingValues() {
    }

    public static long wholeNumber(String key, String value) {
        String text = value == null ? "" : value.strip();
        try {
            return Long.parseLong(text);
        } catch (NumberFormatException e) {
            throw new IllegalStateException("setting '" + key + "' must be a whole number, was '" + text + "'");
        }
    }

    public static int intNumber(String key, String value) {
        long number = wholeNumber(key, value);
        if (number < Integer.MIN_VALUE || number > Integer.MAX_VALUE) {
            throw new IllegalStateException("setting '" + key + "' is out of range, was '" + number + "'");
        }
        return (int) number;
    }

    /** A finite decimal number. */
    public static double number(String key, String value) {
        String text = value == null ? "" : value.strip();
        try {
            double number = Double.parseDouble(text);
            if (!Double.isFinite(number)) {
                throw new NumberFormatException(text);
            }
            return number;
        } catch (NumberFormatException e) {
            throw new IllegalStateException("setting '" + key + "' must be a number, was '" + text + "'");
        }
    }
}
