package com.sheratan.offgrid.host;

import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;

/** The beans the host routes name. */
public class HostConfiguration implements CamelConfiguration {
    @Override
    public void configure(CamelContext camelContext) {
        // beans are bound here by the host role
    }
}
