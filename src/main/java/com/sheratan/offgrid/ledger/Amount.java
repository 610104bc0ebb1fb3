package com.sheratan.offgrid.ledger;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.regex.Pattern;

/**
 * An exact amount of the mesh's money (SPEC section 12): a decimal with exactly 9 fraction digits,
 * written as a string ({@code "0.000123000"}), computed with {@link BigDecimal} and rounded half-even,
 * never through binary floating point.
 */
public record Amount(BigDecimal value) implements Comparable<Amount> {
    public static final int SCALE = 9;
    public static final Amount ZERO = new Amount(BigDecimal.ZERO);
    private static final Pattern TEXT = Pattern.compile("-?(0|[1-9][0-9]*)\\.[0-9]{9}");

    public Amount {
        value = value.setScale(SCALE, RoundingMode.HALF_EVEN);
    }

    /**
     * The amount a quote charges: the quote's shortest decimal form (as the canonical JSON writes the
     * number), rounded half-even to 9 places.
     */
    public static Amount ofQuote(double quote) {
        if (!Double.isFinite(quote) || quote < 0) {
            throw new IllegalArgumentException("a quote must be a finite number >= 0, was " + quote);
        }
        return new Amount(new BigDecimal(Double.toString(quote)));
    }

    /** The amount a JSON number stands for, read from its decimal form (a parsed double by its shortest form). */
    public static Amount ofNumber(JsonNode number) {
        if (number == null || !number.isNumber()) {
            throw new IllegalArgumentException("not a number: " + number);
        }
        return number.isIntegralNumber() ? new Amount(new BigDecimal(number.bigIntegerValue()))
                : number.isBigDecimal() ? new Amount(number.decimalValue()) : ofQuote(number.doubleValue());
    }

    /** Reads an amount written by {@link #toString()}: exactly 9 fraction digits, no exponent, no plus sign. */
    public static Amount parse(String text) {
        if (text == null || !TEXT.matcher(text).matches()) {
            throw new IllegalArgumentException("not an amount with 9 fraction digits: " + text);
        }
        return new Amount(new BigDecimal(text));
    }

    /** This amount times a rate, rounded half-even to 9 places. */
    public Amount times(BigDecimal rate) {
        return new Amount(value.multiply(rate));
    }

    public Amount plus(Amount other) {
        return new Amount(value.add(other.value));
    }

    public Amount minus(Amount other) {
        return new Amount(value.subtract(other.value));
    }

    public Amount negate() {
        return new Amount(value.negate());
    }

    public boolean isZero() {
        return value.signum() == 0;
    }

    @Override
    public int compareTo(Amount other) {
        return value.compareTo(other.value);
    }

    /** The wire form: plain decimal, exactly 9 fraction digits ({@code "-0.000001230"}). */
    @Override
    public String toString() {
        return value.toPlainString();
    }
}
