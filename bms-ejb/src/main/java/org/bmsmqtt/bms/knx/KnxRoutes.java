package org.bmsmqtt.bms.knx;

import org.bmsmqtt.bms.datapoint.DataType;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The KNX bindings in memory, both ways: by datapoint (commands -> group writes) and by connection and group address
 * (telegrams -> datapoints). Changed one datapoint at a time, like the engine's configuration; readers never lock.
 */
final class KnxRoutes {

    /** One binding: write address 0 = none; inbound = the write address (if any) and the listen addresses. */
    record Route(long bindingId, long datapointId, long connectionId, int writeAddress, List<Integer> inbound,
                 KnxDpt dpt, DataType type, boolean readAtStart, boolean answerReads) {
    }

    private final Map<Long, List<Route>> byDatapoint = new ConcurrentHashMap<>();
    private final Map<Long, Map<Integer, List<Route>>> byAddress = new ConcurrentHashMap<>();

    synchronized void put(long datapointId, List<Route> routes) {
        List<Route> old = byDatapoint.remove(datapointId);
        if (old != null) {
            old.forEach(this::unindex);
        }
        if (!routes.isEmpty()) {
            byDatapoint.put(datapointId, List.copyOf(routes));
            routes.forEach(this::index);
        }
    }

    /** Everything forgotten (a member that takes over reads the bindings again). */
    synchronized void clear() {
        byDatapoint.clear();
        byAddress.clear();
    }

    /** A deleted connection: its routes go (the database cascade removed its bindings already). */
    synchronized void removeConnection(long connectionId) {
        for (Long dp : List.copyOf(byDatapoint.keySet())) {
            List<Route> rs = byDatapoint.get(dp);
            if (rs.stream().anyMatch(r -> r.connectionId() == connectionId)) {
                put(dp, rs.stream().filter(r -> r.connectionId() != connectionId).toList());
            }
        }
    }

    List<Route> outbound(long datapointId) {
        return byDatapoint.getOrDefault(datapointId, List.of());
    }

    List<Route> inbound(long connectionId, int address) {
        Map<Integer, List<Route>> m = byAddress.get(connectionId);
        return m == null ? List.of() : m.getOrDefault(address, List.of());
    }

    /** The bindings that answer a group read request for this address on this connection (answerReads). */
    List<Route> answering(long connectionId, int address) {
        return inbound(connectionId, address).stream().filter(Route::answerReads).toList();
    }

    /** The routes of one connection (when it connects: what to read). A scan: only on connect. */
    List<Route> ofConnection(long connectionId) {
        List<Route> all = new ArrayList<>();
        byDatapoint.values().forEach(rs -> rs.stream().filter(r -> r.connectionId() == connectionId).forEach(all::add));
        return all;
    }

    private void index(Route r) {
        Map<Integer, List<Route>> m = byAddress.computeIfAbsent(r.connectionId(), k -> new ConcurrentHashMap<>());
        for (int ga : r.inbound()) {
            List<Route> now = new ArrayList<>(m.getOrDefault(ga, List.of()));
            now.add(r);
            m.put(ga, List.copyOf(now)); // copy on write: readers see the old or the new list, never a half
        }
    }

    private void unindex(Route r) {
        Map<Integer, List<Route>> m = byAddress.get(r.connectionId());
        if (m == null) {
            return;
        }
        for (int ga : r.inbound()) {
            List<Route> now = new ArrayList<>(m.getOrDefault(ga, List.of()));
            now.remove(r);
            if (now.isEmpty()) {
                m.remove(ga);
            } else {
                m.put(ga, List.copyOf(now));
            }
        }
    }
}
