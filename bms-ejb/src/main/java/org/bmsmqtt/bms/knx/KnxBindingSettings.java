package org.bmsmqtt.bms.knx;

import org.bmsmqtt.bms.shared.InvalidValueException;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;

/**
 * A datapoint bound to KNX group addresses on one connection: {@code writeAddress} receives the datapoint's commands
 * as group writes (and its own group writes and responses update the datapoint); {@code listenAddresses} (status
 * feedback) only update it. At least one address. {@code readAtStart}: the first address that answers is read when
 * the connection opens. {@code answerReads}: a group read request from the bus for one of the binding's addresses is
 * answered with the datapoint's value (when it has one); off by default, because on most addresses a real device
 * answers, and two answers confuse the bus. Addresses are stored in the notation given, DPT as main.sub (e.g. 9.001).
 */
public record KnxBindingSettings(long connectionId, String writeAddress, List<String> listenAddresses, String dpt,
                                 boolean readAtStart, boolean answerReads) {

    public static final int MAX_LISTEN_ADDRESSES = 20;

    public KnxBindingSettings {
        writeAddress = writeAddress == null || writeAddress.isBlank() ? ""
                : GroupAddresses.canonical(writeAddress, "writeAddress");
        List<String> in = listenAddresses == null ? List.of() : listenAddresses;
        if (in.size() > MAX_LISTEN_ADDRESSES) {
            throw new InvalidValueException("listenAddresses", "at most " + MAX_LISTEN_ADDRESSES + " addresses");
        }
        var seen = new LinkedHashSet<Integer>();
        if (!writeAddress.isEmpty()) {
            seen.add(GroupAddresses.parse(writeAddress, "writeAddress"));
        }
        List<String> listen = new ArrayList<>();
        for (String a : in) {
            String c = GroupAddresses.canonical(a, "listenAddresses");
            if (!seen.add(GroupAddresses.parse(c, "listenAddresses"))) {
                throw new InvalidValueException("listenAddresses", "group address " + c + " is given twice");
            }
            listen.add(c);
        }
        listenAddresses = List.copyOf(listen);
        if (writeAddress.isEmpty() && listenAddresses.isEmpty()) {
            throw new InvalidValueException("writeAddress", "a write address, listen addresses or both are required");
        }
        dpt = KnxDpt.of(dpt, "dpt").id();
    }

    /** Every address whose telegrams update the datapoint: the write address first, then the listen addresses. */
    public List<String> inboundAddresses() {
        List<String> all = new ArrayList<>(listenAddresses.size() + 1);
        if (!writeAddress.isEmpty()) {
            all.add(writeAddress);
        }
        all.addAll(listenAddresses);
        return all;
    }

    /** Stored form of the listen addresses: comma-separated (the column holds at most 20 short addresses). */
    public String listenColumn() {
        return String.join(",", listenAddresses);
    }

    public static List<String> fromColumn(String column) {
        return column == null || column.isBlank() ? List.of() : List.of(column.split(","));
    }
}
