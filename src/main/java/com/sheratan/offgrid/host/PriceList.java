package com.sheratan.offgrid.host;

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

    public Map<String, Object> asMap() {
        Map<String, Object> prices = new LinkedHashMap<>();
        prices.put("per_mtoken_infer", perMtokenInfer);
        prices.put("per_gb_hour", perGbHour);
        prices.put("per_gb_transfer", perGbTransfer);
        return prices;
    }
}
