package com.sheratan.offgrid.host;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A host's prices (SPEC section 8). A quote is the price for the job's type × its size:
 * {@code compute} → {@code per_mtoken_infer}, {@code storage} → {@code per_gb_hour},
 * {@code transfer} → {@code per_gb_transfer}.
 */
public record PriceList(double perMtokenInfer, double perGbHour, double perGbTransfer) {

    /** The price per unit for a job type, or {@code null} for a type this host does not price. */
    public Double priceFor(String type) {
        return switch (type) {
            case "compute" -> perMtokenInfer;
            case "storage" -> perGbHour;
            case "transfer" -> perGbTransfer;
            default -> null;
        };
    }

    /** price × size, rounded to 9 decimals so binary fractions do not show ({@code 0.0375}, not {@code 0.037500000000000006}). */
    public static double quote(double price, double size) {
        return round(price * size);
    }

    public Map<String, Object> asMap() {
        Map<String, Object> prices = new LinkedHashMap<>();
        prices.put("per_mtoken_infer", round(perMtokenInfer));
        prices.put("per_gb_hour", round(perGbHour));
        prices.put("per_gb_transfer", round(perGbTransfer));
        return prices;
    }

    private static double round(double value) {
        return BigDecimal.valueOf(value).setScale(9, RoundingMode.HALF_UP).doubleValue();
    }
}
