package com.sheratan.offgrid.launch;

import com.sheratan.offgrid.broker.BrokerConfiguration;
import com.sheratan.offgrid.core.CoreConfiguration;
import com.sheratan.offgrid.host.HostConfiguration;
import com.sheratan.offgrid.observe.ObserveConfiguration;
import com.sheratan.offgrid.security.AuthKeysConfiguration;
import com.sheratan.offgrid.security.TlsConfiguration;
import java.util.List;
import java.util.function.Supplier;
import org.apache.camel.CamelConfiguration;

/** The three roles one artifact carries; each has its own routes folder and bean configuration. */
public enum Role {
    CORE("core", "offgrid.core.port", CoreConfiguration::new),
    BROKER("broker", "offgrid.broker.port", BrokerConfiguration::new),
    HOST("host", "offgrid.host.port", HostConfiguration::new);

    private final String id;
    private final String portKey;
    private final Supplier<CamelConfiguration> configuration;

    Role(String id, String portKey, Supplier<CamelConfiguration> configuration) {
        this.id = id;
        this.portKey = portKey;
        this.configuration = configuration;
    }

    public String id() {
        return id;
    }

    public String portKey() {
        return portKey;
    }

    public String routesPattern() {
        return "classpath:routes/" + id + "/*.yaml,classpath:routes/shared/*.yaml";
    }

    /** The role's bean configurations, in the order they run: the HMAC keys, TLS, what every role shares, the role's own. */
    public List<CamelConfiguration> configurations() {
        return List.of(new AuthKeysConfiguration(), new TlsConfiguration(), new ObserveConfiguration(), configuration.get());
    }
}
