package com.sheratan.offgrid.testing;

import com.sheratan.offgrid.config.Settings;
import com.sheratan.offgrid.launch.Role;
import com.sheratan.offgrid.launch.RoleLauncher;
import java.lang.reflect.Method;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import org.apache.camel.CamelContext;
import org.apache.camel.builder.NotifyBuilder;
import org.apache.camel.main.MainConfigurationProperties;
import org.apache.camel.test.junit5.TestExecutionConfiguration;
import org.apache.camel.test.main.junit5.CamelMainTestSupport;
import org.junit.jupiter.api.io.TempDir;

/**
 * One role booted for each test by Camel's own test kit: the role's real configuration classes and
 * YAML routes, with the settings a user has (application.properties, {@code .env} in the test's
 * working folder, the environment the test plays, then the test's own), on a free loopback port.
 * The class's {@link #settings()} apply to every test; {@link RoleSettings} on a method adds to them.
 *
 * <p>A test that must set up the world before the role starts (the hosts it discovers, files in its
 * inbox) overrides {@link #startsBeforeEachTest()} to {@code false} and calls {@link #startRole()}.
 */
public abstract class RoleTest extends CamelMainTestSupport {
    @TempDir
    protected Path home;

    protected final Http http = new Http();
    private Settings settings;

    protected abstract Role role();

    /** Settings every test of the class boots with, on top of the defaults. */
    protected Map<String, String> settings() {
        return Map.of();
    }

    /** What plays the process environment ({@code OFFGRID_MODE} and friends). */
    protected Map<String, String> environment() {
        return Map.of();
    }

    protected boolean startsBeforeEachTest() {
        return true;
    }

    @Override
    public void configureTest(TestExecutionConfiguration configuration) {
        super.configureTest(configuration);
        configuration.withAutoStartContext(false);
    }

    @Override
    protected CamelContext createCamelContext() throws Exception {
        Map<String, String> overrides = new HashMap<>(settings());
        for (String setting : methodSettings()) {
            int eq = setting.indexOf('=');
            overrides.put(setting.substring(0, eq), setting.substring(eq + 1));
        }
        overrides.putIfAbsent(role().portKey(), String.valueOf(Ports.free()));
        settings = Settings.load(home, environment(), overrides);
        Properties properties = new Properties();
        properties.putAll(RoleLauncher.camelProperties(role(), settings));
        camelContextConfiguration().withUseOverridePropertiesWithPropertiesComponent(properties);
        return super.createCamelContext();
    }

    @Override
    protected void configure(MainConfigurationProperties configuration) {
        role().configurations().forEach(configuration::addConfiguration);
    }

    @Override
    protected void doPostSetup() throws Exception {
        if (startsBeforeEachTest()) {
            startRole();
        }
    }

    /** Starts the role's context and its HTTP server, as the launcher does. */
    protected void startRole() {
        context.start();
        RoleLauncher.answerOversizedBodiesAsJson(context, port(), RoleLauncher.maxBodyBytes(role(), settings));
    }

    /** The role's resolved settings. */
    protected Settings roleSettings() {
        return settings;
    }

    protected int port() {
        return settings.getInt(role().portKey());
    }

    protected String baseUrl() {
        return "http://" + settings.get("offgrid.bind-host") + ":" + port();
    }

    protected String url(String path) {
        return baseUrl() + path;
    }

    /** Done when the route with this id has finished {@code exchanges} exchanges (from now on). */
    protected NotifyBuilder whenDone(String routeId, int exchanges) {
        return new NotifyBuilder(context).fromRoute(routeId).whenDone(exchanges).create();
    }

    private String[] methodSettings() {
        String name = getCurrentTestName();
        if (name == null) {
            return new String[0];
        }
        String methodName = name.replaceAll("\\(.*$", "");
        for (Class<?> type = getClass(); type != null; type = type.getSuperclass()) {
            for (Method method : type.getDeclaredMethods()) {
                RoleSettings settings = method.getAnnotation(RoleSettings.class);
                if (method.getName().equals(methodName) && settings != null) {
                    return settings.value();
                }
            }
        }
        return new String[0];
    }
}
