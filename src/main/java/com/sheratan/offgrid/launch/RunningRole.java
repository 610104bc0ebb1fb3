package com.sheratan.offgrid.launch;

import org.apache.camel.CamelContext;
import org.apache.camel.main.Main;

/** One started role: where it listens, and how to stop it. */
public final class RunningRole implements AutoCloseable {
    private final Role role;
    private final String name;
    private final String scheme;
    private final String bindHost;
    private final int port;
    private final Main main;

    RunningRole(Role role, String name, String scheme, String bindHost, int port, Main main) {
        this.role = role;
        this.name = name;
        this.scheme = scheme;
        this.bindHost = bindHost;
        this.port = port;
        this.main = main;
    }

    public Role role() {
        return role;
    }

    public String name() {
        return name;
    }

    public int port() {
        return port;
    }

    public String baseUrl() {
        return scheme + "://" + bindHost + ":" + port;
    }

    public CamelContext camelContext() {
        return main.getCamelContext();
    }

    public void stop() {
        try {
            main.stop();
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException("stopping " + name + " failed", e);
        }
    }

    @Override
    public void close() {
        stop();
    }
}
