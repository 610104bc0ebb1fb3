package com.sheratan.offgrid.observe;

import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;

/** What every role shares for being operated: its OpenAPI document (health and metrics are Camel's). */
public class ObserveConfiguration implements CamelConfiguration {
    @Override
    public void configure(CamelContext camelContext) {
        String role = camelContext.getPropertiesComponent().resolveProperty("offgrid.role")
                .orElseThrow(() -> new IllegalStateException("offgrid.role is not set"));
        camelContext.getRegistry().bind("openApiDocument", new OpenApiDocument(role));
    }
}
