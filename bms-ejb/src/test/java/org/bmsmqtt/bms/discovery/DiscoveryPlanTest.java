package org.bmsmqtt.bms.discovery;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;

class DiscoveryPlanTest {

    private static DiscoveryMessage m(String topic, String payload) {
        return new DiscoveryMessage(topic, payload);
    }

    @Test
    void new_changed_and_gone_datapoints() {
        Map<Long, DiscoveryMessage> before = Map.of(1L, m("ha/sensor/n/dp1/config", "{a}"),
                2L, m("ha/sensor/n/dp2/config", "{b}"), 3L, m("ha/sensor/n/dp3/config", "{c}"));
        Map<Long, DiscoveryMessage> now = Map.of(1L, m("ha/sensor/n/dp1/config", "{a}"),
                2L, m("ha/sensor/n/dp2/config", "{b2}"), 4L, m("ha/sensor/n/dp4/config", "{d}"));
        DiscoveryPlan.Result r = DiscoveryPlan.plan(before, now, null, false);
        assertEquals(Set.of(m("ha/sensor/n/dp2/config", "{b2}"), m("ha/sensor/n/dp3/config", ""),
                m("ha/sensor/n/dp4/config", "{d}")), Set.copyOf(r.messages()), "unchanged dp1 is not sent again");
        assertEquals(now, r.next());
        assertEquals(4, DiscoveryPlan.plan(before, now, null, true).messages().size(), "a new session: all again");
    }

    @Test
    void a_component_change_removes_the_old_topic_first() {
        Map<Long, DiscoveryMessage> before = Map.of(1L, m("ha/sensor/n/dp1/config", "{a}"));
        Map<Long, DiscoveryMessage> now = Map.of(1L, m("ha/number/n/dp1/config", "{a}"));
        assertEquals(List.of(m("ha/sensor/n/dp1/config", ""), m("ha/number/n/dp1/config", "{a}")),
                DiscoveryPlan.plan(before, now, Set.of(1L), false).messages());
    }

    @Test
    void a_scoped_plan_touches_only_its_datapoints() {
        Map<Long, DiscoveryMessage> before = Map.of(1L, m("t1", "{a}"), 2L, m("t2", "{b}"));
        DiscoveryPlan.Result r = DiscoveryPlan.plan(before, Map.of(), Set.of(2L), false);
        assertEquals(List.of(m("t2", "")), r.messages(), "datapoint 2 deleted (or its binding)");
        assertEquals(Map.of(1L, m("t1", "{a}")), r.next(), "datapoint 1 was not looked at and stays");
        assertEquals(Set.of(m("t1", ""), m("t2", "")), Set.copyOf(DiscoveryPlan.removeAll(before)));
    }

    @Test
    void configs_left_on_the_broker_for_datapoints_we_no_longer_have_are_removed() {
        List<DiscoveryMessage> current = List.of(m("ha/sensor/n/dp1/config", "{a}"), m("ha/number/n/dp2/config", "{b}"));
        List<String> found = List.of("ha/sensor/n/dp1/config", "ha/sensor/n/dp9/config", "ha/sensor/n/dp2/config");
        assertEquals(List.of(m("ha/sensor/n/dp2/config", ""), m("ha/sensor/n/dp9/config", "")),
                DiscoveryPlan.stale(found, current), "dp9 deleted while down; dp2 moved to number while down");
        assertEquals(List.of(), DiscoveryPlan.stale(List.of("ha/sensor/n/dp1/config"), current));
    }
}
