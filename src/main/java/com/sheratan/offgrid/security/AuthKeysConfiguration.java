package com.sheratan.offgrid.security;

import com.sheratan.offgrid.config.RoleStartException;
import java.io.IOException;
import java.net.InetAddress;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.spi.PropertiesComponent;

/**
 * Reads a role's HMAC keys (SPEC section 6) once and binds them as the bean {@value #BEAN}; every bean
 * of the role that signs or verifies takes them from there. A role with the built-in development
 * secret refuses to bind anything but loopback, before it listens.
 */
public final class AuthKeysConfiguration implements CamelConfiguration {
    public static final String BEAN = "authKeys";

    @Override
    public void configure(CamelContext camelContext) {
        PropertiesComponent properties = camelContext.getPropertiesComponent();
        AuthKeys keys = AuthKeys.from(key -> properties.resolveProperty(key).map(String::strip).orElse(null));
        String bindHost = properties.resolveProperty("offgrid.bind-host").orElse("127.0.0.1");
        if (keys.usesDevelopmentSecret() && !isLoopback(bindHost)) {
            String name = properties.resolveProperty("offgrid.role-name").orElse("this role");
            throw new RoleStartException(name + " refuses to bind " + bindHost
                    + ": the built-in development secret '" + AuthKeys.DEVELOPMENT_SECRET + "' is only allowed on"
                    + " loopback; set OFFGRID_AUTH_KEY (or OFFGRID_AUTH_KEYS) to a real secret first");
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

    static boolean isLoopback(String host) {
        try {
            return InetAddress.getByName(host).isLoopbackAddress();
        } catch (IOException e) {
            return false;
        }
    }
}
