package com.sheratan.offgrid.ledger;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sheratan.offgrid.contract.Json;
import java.util.Map;
import java.util.TreeMap;

/**
 * Every account's balance after a number of entries: each charge debits the payer {@code amount},
 * credits the payee {@code host_amount} and the reserve {@code reserve}, so the sum of all balances
 * is zero after every entry. Not thread-safe; the ledger guards it.
 */
public final class Balances {
    private final Map<String, Amount> accounts = new TreeMap<>();
    private long treeSize;

    public void apply(LedgerEntry entry) {
        add(entry.payer(), entry.amount().negate());
        add(entry.payee(), entry.hostAmount());
        add(LedgerEntry.RESERVE_ACCOUNT, entry.reserve());
        treeSize++;
    }

    private void add(String account, Amount change) {
        accounts.merge(account, change, Amount::plus);
    }

    public long treeSize() {
        return treeSize;
    }

    public Amount of(String account) {
        return accounts.getOrDefault(account, Amount.ZERO);
    }

    public Amount sum() {
        return accounts.values().stream().reduce(Amount.ZERO, Amount::plus);
    }

    /** {@code {tree_size, accounts:{name: "amount"}, sum}}, accounts sorted by name. */
    public ObjectNode toJson() {
        ObjectNode json = Json.mapper().createObjectNode();
        json.put("tree_size", treeSize);
        ObjectNode list = json.putObject("accounts");
        accounts.forEach((name, amount) -> list.put(name, amount.toString()));
        json.put("sum", sum().toString());
        return json;
    }
}
