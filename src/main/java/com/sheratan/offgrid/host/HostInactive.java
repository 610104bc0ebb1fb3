package com.sheratan.offgrid.host;

/** The host is switched off ({@code offgrid.host.active=false}): it takes no new work. */
public class HostInactive extends RuntimeException {
    public HostInactive(String nodeId) {
        super("host " + nodeId + " is inactive and takes no new jobs");
    }
}
