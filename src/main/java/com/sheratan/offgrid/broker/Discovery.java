package com.sheratan.offgrid.broker;

import java.util.List;

/**
 * The hosts discovery produced, and where they came from: {@code source} is {@code file} or
 * {@code fallback}; {@code why} says why the fallback is in use (null when the file was used).
 */
public record Discovery(List<HostEntry> hosts, String source, String why) {
    public Discovery {
        hosts = List.copyOf(hosts);
    }

    public boolean isFallback() {
        return "fallback".equals(source);
    }
}
