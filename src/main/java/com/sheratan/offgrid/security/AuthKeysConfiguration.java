package com.sheratan.offgrid.security;

import com.sheratan.offgrid.config.RoleStartException;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.spi.PropertiesComponent;

/**
 * Reads a role's HMAC keys (SPEC section 6) once and binds them as the bean {@value #BEAN}; every bean
 * of the role that signs or verifies takes them from there. Off loopback a role refuses, before it
 * listens, the built-in development secret and any secret shorter than {@value #MIN_SECRET_BYTES}
 * bytes: anyone who can reach the port could otherwise guess a short one offline from one captured
 * request.
 */
public final class AuthKeysConfiguration implements CamelConfiguration {
    public static final String BEAN = "authKeys";
    /** The shortest secret (UTF-8 bytes) a role accepts when it binds anything but loopback: 256 bits as hex is 64. */
    public static final int MIN_SECRET_BYTES = 32;

    @Override
    public void configure(CamelContext camelContext) {
        PropertiesComponent properties = camelContext.getPropertiesComponent();
        AuthKeys keys = AuthKeys.from(key -> properties.resolveProperty(key).map(String::strip).orElse(null));
        String bindHost = properties.resolveProperty("offgrid.bind-host").orElse("127.0.0.1");
        if (keys.usesDevelopmentSecret() && !isLoopback(bindHost)) {
            String name = properties.resolveProperty("offgrid.role-name").orElse("this role");
            throw new RoleStartException(name + " refuses to bind " + bindHost
                    + ": the built-in development secret '" + AuthKeys.DEVELOPMENT_SECRET + "' is only allowed on"
                    + " loopback; set OFFGRID_AUTH_KEY (or OFFGRID_AUTH_KEYS) to a real secret first, e.g."
                    + " OFFGRID_AUTH_KEY=$(openssl rand -hex 32)");
        }
        if (!isLoopback(bindHost)) {
            keys.secrets().forEach((id, secret) -> {
                int bytes = secret.getBytes(StandardCharsets.UTF_8).length;
                if (bytes < MIN_SECRET_BYTES) {
                    String name = properties.resolveProperty("offgrid.role-name").orElse("this role");
                    throw new RoleStartException(name + " refuses to bind " + bindHost + ": the secret of key id '"
                            + id + "' is " + bytes + " bytes long, and off loopback every secret must be at least "
                            + MIN_SECRET_BYTES + " bytes; make one with `openssl rand -hex 32` and set it on every"
                            + " role as OFFGRID_AUTH_KEY (or as id:secret in OFFGRID_AUTH_KEYS)");
                }
            });
        }
        camelContext.getRegistry().bind(BEAN, keys);
    }

    /** The keys {@link AuthKeysConfiguration} bound for this role. */
    public static AuthKeys keys(CamelContext camelContext) {
        AuthKeys keys = camelContext.getRegistry().lookupByNameAndType(BEAN, AuthKeys.class);
        if (keys == null) {
            throw new IllegalStateException("no '" + BEAN + "' bean: add AuthKeysConfiguration before the role's");
        }
        return keys;
    }

    /** True for a loopback address or a name that resolves to one (127.0.0.1, ::1, localhost). */
    public static boolean isLoopback(String host) {
        try {
            return InetAddress.getByName(host).isLoopbackAddress();
        } catch (IOException e) {
            return false;
        }
    }
}
