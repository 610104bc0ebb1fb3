package com.sheratan.offgrid.broker;

/**
 * One host as discovery knows it: its base URL (no trailing slash), its node id when the file names
 * one, how it is reached ({@code via}: udp, ble, lora, file; weights the score) and whether the file
 * marks it active. {@code verifyKey}, when the file gives one, is the receipt key the ledger trusts
 * for that node (over the key pinned from its {@code /announce}).
 */
public record HostEntry(String url, String nodeId, String via, boolean active, String lastSeen, String verifyKey) {
    public HostEntry(String url, String nodeId, String via, boolean active, String lastSeen) {
        this(url, nodeId, via, active, lastSeen, null);
    }

    /** The node id for logs and tie-breaks: the file's, else the URL. */
    public String name() {
        return nodeId != null ? nodeId : url;
    }
}
