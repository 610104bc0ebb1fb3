package com.sheratan.offgrid.security;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;

/**
 * The HMAC keys of SPEC section 6. Receivers accept every key; senders sign with {@code signingKeyId}.
 * {@code OFFGRID_AUTH_KEYS=id1:secret1,id2:secret2} wins over the single {@code OFFGRID_AUTH_KEY}
 * (which has the id {@code default}).
 */
public record AuthKeys(Map<String, String> secrets, String signingKeyId) {
    public static final String DEVELOPMENT_SECRET = "shared-secret";

    public AuthKeys {
        secrets = Map.copyOf(secrets);
        if (secrets.isEmpty()) {
            throw new IllegalStateException("no HMAC key configured: set OFFGRID_AUTH_KEY or OFFGRID_AUTH_KEYS");
        }
        if (!secrets.containsKey(signingKeyId)) {
            throw new IllegalStateException("OFFGRID_AUTH_KEY_ID '" + signingKeyId
                    + "' is not one of the configured key ids " + secrets.keySet());
        }
    }

    /**
     * The keys a role's settings name: {@code offgrid.auth-key}, {@code offgrid.auth-keys} and
     * {@code offgrid.auth-key-id}. {@code setting} answers a key's value, or {@code null} when unset.
     */
    public static AuthKeys from(Function<String, String> setting) {
        return parse(orElse(setting.apply("offgrid.auth-key"), DEVELOPMENT_SECRET),
                orElse(setting.apply("offgrid.auth-keys"), ""),
                orElse(setting.apply("offgrid.auth-key-id"), "default"));
    }

    private static String orElse(String value, String fallback) {
        return value == null ? fallback : value;
    }

    public static AuthKeys parse(String singleKey, String keyList, String signingKeyId) {
        Map<String, String> secrets = new LinkedHashMap<>();
        if (keyList != null && !keyList.isBlank()) {
            for (String pair : keyList.split(",")) {
                String trimmed = pair.strip();
                int colon = trimmed.indexOf(':');
                if (colon <= 0 || colon == trimmed.length() - 1) {
                    throw new IllegalStateException("OFFGRID_AUTH_KEYS entries must be id:secret, got '"
                            + (colon <= 0 ? trimmed : trimmed.substring(0, colon) + ":…") + "'");
                }
                secrets.put(trimmed.substring(0, colon), trimmed.substring(colon + 1));
            }
        } else {
            if (singleKey == null || singleKey.isBlank()) {
                throw new IllegalStateException("OFFGRID_AUTH_KEY is empty");
            }
            secrets.put("default", singleKey);
        }
        String id = signingKeyId == null || signingKeyId.isBlank() ? "default" : signingKeyId.strip();
        if (!secrets.containsKey(id) && keyList != null && !keyList.isBlank()
                && id.equals("default")) {
            id = secrets.keySet().iterator().next();
        }
        return new AuthKeys(secrets, id);
    }

    public String signingSecret() {
        return secrets.get(signingKeyId);
    }

    public String secret(String keyId) {
        return secrets.get(keyId);
    }

    public boolean usesDevelopmentSecret() {
        return secrets.containsValue(DEVELOPMENT_SECRET);
    }

    @Override
    public String toString() {
        return "AuthKeys[ids=" + secrets.keySet() + ", signingKeyId=" + signingKeyId + "]";
    }
}
