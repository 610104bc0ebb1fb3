package com.sheratan.offgrid.security;

import com.sheratan.offgrid.config.EscapingLogger;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.spi.PropertiesComponent;
import org.slf4j.Logger;

/**
 * Reads a role's TLS files once ({@link MeshTls}) and binds them as the bean {@value #BEAN}; the role's
 * callers take their trust from there. With a certificate the role's HTTP server serves HTTPS: the
 * launcher sets {@code camel.server.useGlobalSslContextParameters}, and this sets those parameters.
 */
public final class TlsConfiguration implements CamelConfiguration {
    public static final String BEAN = "meshTls";
    private static final Logger LOG = EscapingLogger.of(TlsConfiguration.class);

    @Override
    public void configure(CamelContext camelContext) {
        PropertiesComponent properties = camelContext.getPropertiesComponent();
        MeshTls tls = MeshTls.from(key -> properties.resolveProperty(key).orElse(null));
        if (tls.serves()) {
            camelContext.setSSLContextParameters(tls.serverParameters(camelContext));
        }
        if (tls.serves() || tls.hasCa()) {
            LOG.info("{}: {}", properties.resolveProperty("offgrid.role-name").orElse("role"), tls);
        }
        camelContext.getRegistry().bind(BEAN, tls);
    }

    /** The TLS {@link TlsConfiguration} bound for this role. */
    public static MeshTls tls(CamelContext camelContext) {
        MeshTls tls = camelContext.getRegistry().lookupByNameAndType(BEAN, MeshTls.class);
        if (tls == null) {
            throw new IllegalStateException("no '" + BEAN + "' bean: add TlsConfiguration before the role's");
        }
        return tls;
    }
}
