package com.sheratan.offgrid.core;

import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;

/** The beans the core routes name. */
public class CoreConfiguration implements CamelConfiguration {
    @Override
    public void configure(CamelContext camelContext) {
        // beans are bound here by the core role
    }
}
