package com.sheratan.offgrid.security;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sheratan.offgrid.config.RoleStartException;
import java.util.Properties;
import org.apache.camel.CamelContext;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.Test;

/**
 * Which secrets a role takes for the address it binds. The configuration is checked on its own (it
 * runs before the role listens), so nothing here binds anything but loopback.
 */
class AuthKeysConfigurationTest {
    private static final String STRONG = "3f1c0e7a9b2d4c6e8f0a1b3c5d7e9f1a"; // 32 bytes

    @Test
    void refusesAShortSecretOffLoopbackAndSaysHowToMakeOne() {
        RoleStartException refused = assertThrows(RoleStartException.class,
                () -> configure("0.0.0.0", "x", ""));
        assertTrue(refused.getMessage().contains("broker refuses to bind 0.0.0.0"), refused.getMessage());
        assertTrue(refused.getMessage().contains("is 1 bytes long"), refused.getMessage());
        assertTrue(refused.getMessage().contains("at least 32 bytes"), refused.getMessage());
        assertTrue(refused.getMessage().contains("openssl rand -hex 32"), refused.getMessage());
    }

    @Test
    void refusesAShortSecretAmongSeveralNamingItsIdNotItsValue() {
        RoleStartException refused = assertThrows(RoleStartException.class,
                () -> configure("0.0.0.0", "", "new:" + STRONG + ",old:short-but-not-dev"));
        assertTrue(refused.getMessage().contains("key id 'old'"), refused.getMessage());
        assertFalse(refused.getMessage().contains("short-but-not-dev"), "the secret itself is never shown");
    }

    @Test
    void refusesTheDevelopmentSecretOffLoopback() {
        RoleStartException refused = assertThrows(RoleStartException.class,
                () -> configure("0.0.0.0", AuthKeys.DEVELOPMENT_SECRET, ""));
        assertTrue(refused.getMessage().contains("development secret"), refused.getMessage());
    }

    @Test
    void takesALongSecretOffLoopbackAndAnySecretOnLoopback() {
        assertEquals(STRONG, assertDoesNotThrow(() -> configure("0.0.0.0", STRONG, "")).signingSecret());
        assertEquals("x", assertDoesNotThrow(() -> configure("127.0.0.1", "x", "")).signingSecret());
        assertEquals(AuthKeys.DEVELOPMENT_SECRET,
                assertDoesNotThrow(() -> configure("localhost", AuthKeys.DEVELOPMENT_SECRET, "")).signingSecret());
    }

    private static AuthKeys configure(String bindHost, String key, String keyList) {
        CamelContext context = new DefaultCamelContext();
        Properties settings = new Properties();
        settings.setProperty("offgrid.role-name", "broker");
        settings.setProperty("offgrid.bind-host", bindHost);
        settings.setProperty("offgrid.auth-key", key);
        settings.setProperty("offgrid.auth-keys", keyList);
        context.getPropertiesComponent().setInitialProperties(settings);
        new AuthKeysConfiguration().configure(context);
        return AuthKeysConfiguration.keys(context);
    }
}
