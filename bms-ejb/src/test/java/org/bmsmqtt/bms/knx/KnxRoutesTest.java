package org.bmsmqtt.bms.knx;

import org.bmsmqtt.bms.datapoint.DataType;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class KnxRoutesTest {

    private static final KnxDpt DPT = KnxDpt.of("9.001", "dpt");

    private static KnxRoutes.Route route(long binding, long dp, long conn, int write, Integer... inbound) {
        return new KnxRoutes.Route(binding, dp, conn, write, List.of(inbound), DPT, DataType.REAL, false, false);
    }

    @Test
    void onlyBindingsThatAnswerReadsAnswerThem() {
        KnxRoutes r = new KnxRoutes();
        var quiet = route(1, 10, 100, 2563, 2563, 2564);
        var answering = new KnxRoutes.Route(2, 11, 100, 0, List.of(2564), DPT, DataType.REAL, false, true);
        r.put(10, List.of(quiet));
        r.put(11, List.of(answering));
        assertTrue(r.answering(100, 2563).isEmpty(), "the default: a real device answers, not us");
        assertEquals(List.of(answering), r.answering(100, 2564));
        assertTrue(r.answering(200, 2564).isEmpty());
    }

    @Test
    void bothDirectionsFollowChangesOfOneDatapoint() {
        KnxRoutes r = new KnxRoutes();
        var a = route(1, 10, 100, 2563, 2563, 2564);
        var b = route(2, 11, 100, 0, 2564);
        r.put(10, List.of(a));
        r.put(11, List.of(b));
        assertEquals(List.of(a), r.outbound(10));
        assertEquals(List.of(a), r.inbound(100, 2563));
        assertEquals(List.of(a, b), r.inbound(100, 2564), "two datapoints listen to one status address");
        assertTrue(r.inbound(101, 2563).isEmpty(), "another connection's bus is another bus");

        var a2 = route(1, 10, 100, 2565, 2565);
        r.put(10, List.of(a2));
        assertTrue(r.inbound(100, 2563).isEmpty());
        assertEquals(List.of(b), r.inbound(100, 2564));
        assertEquals(List.of(a2), r.inbound(100, 2565));

        r.put(10, List.of());
        assertTrue(r.outbound(10).isEmpty());
        assertTrue(r.inbound(100, 2565).isEmpty());
    }

    @Test
    void aDeletedConnectionTakesItsRoutes() {
        KnxRoutes r = new KnxRoutes();
        var onA = route(1, 10, 100, 2563, 2563);
        var onB = route(2, 10, 200, 2563, 2563);
        r.put(10, List.of(onA, onB));
        assertEquals(List.of(onA), r.ofConnection(100));
        r.removeConnection(100);
        assertEquals(List.of(onB), r.outbound(10));
        assertTrue(r.inbound(100, 2563).isEmpty());
        assertEquals(List.of(onB), r.inbound(200, 2563));
    }
}
