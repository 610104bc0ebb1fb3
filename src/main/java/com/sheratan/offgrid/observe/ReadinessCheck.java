package com.sheratan.offgrid.observe;

import org.apache.camel.impl.health.AbstractHealthCheck;

/**
 * A check of whether a role can do its work now (SPEC 14: {@code /observe/health/ready}), in the
 * group {@code offgrid}. DOWN makes the role not ready while it stays live: a store or queue that
 * comes back makes it ready again without a restart.
 */
public abstract class ReadinessCheck extends AbstractHealthCheck {
    protected ReadinessCheck(String id) {
        super("offgrid", id);
    }

    @Override
    public final boolean isLiveness() {
        return false;
    }
}
