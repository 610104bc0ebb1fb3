package com.sheratan.offgrid.broker;

import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;

/** The beans the broker routes name. */
public class BrokerConfiguration implements CamelConfiguration {
    @Override
    public void configure(CamelContext camelContext) {
        // beans are bound here by the broker role
    }
}
