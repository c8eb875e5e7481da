package org.bmsmqtt.bms.datapoint;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import org.bmsmqtt.bms.datapoint.EngineConfig.BindingConfig;
import org.bmsmqtt.bms.datapoint.EngineConfig.DpConfig;
import org.bmsmqtt.ra.api.Availability;
import org.bmsmqtt.ra.api.Publication;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A datapoint whose value comes from a field bus: its quality follows the reachability of its sources (KNX connection,
 * BACnet device), its availability topic beside the report topic says so with the broker's payloads, and its STATE
 * reports carry the quality.
 */
class SourceQualityTest {

    private static final long BROKER = 1;
    private static final long QUIET_BROKER = 2; // availability switched off

    private final EngineConfig config = new EngineConfig();
    private final List<Publication> sent = new ArrayList<>();
    private ReportFanOut fanOut;
    private final DpConfig temp = new DpConfig(10, "temp", DataType.REAL, AccessMode.READ, false, false, "°C");
    private final ValueState st = new ValueState();

    @BeforeEach
    void setUp() {
        Origin origin = new Origin();
        origin.configured = Optional.of("test-server");
        fanOut = new ReportFanOut(config, origin);
        config.putBroker(BROKER, 500, true, new Availability("brokers/b1/status", "up", "down"));
        config.putBroker(QUIET_BROKER, 500, true, Availability.OFF);
        config.put(temp, List.of(
                new BindingConfig(1, 10, BROKER, "", "f1/temp/state", 0, false, PayloadFormat.STATE, ""),
                new BindingConfig(2, 10, BROKER, "", "f1/temp/plain", 0, false, PayloadFormat.PLAIN, ""),
                new BindingConfig(3, 10, QUIET_BROKER, "", "other/temp", 0, false, PayloadFormat.STATE, "")));
        fanOut.attach((brokerId, p) -> {
            sent.add(p); // the topics of the two brokers differ
            return Optional.empty();
        });
    }

    @Test
    void a_virtual_datapoint_is_good_and_has_no_availability() {
        assertEquals("good", st.quality());
        assertFalse(st.hasSources());
        assertTrue(fanOut.availabilityOf(BROKER, Map.of(10L, st)).isEmpty());
    }

    @Test
    void quality_follows_the_sources_and_says_why() {
        assertTrue(st.source("knx:1", ""), "a first source gives the datapoint an availability");
        assertEquals("good", st.quality());
        assertFalse(st.source("knx:1", ""), "nothing changed");
        assertTrue(st.source("knx:2", "KNX connection b is FAILED: connection lost"));
        assertEquals("unreachable", st.quality());
        assertEquals("KNX connection b is FAILED: connection lost", st.snapshot().qualityReason());
        assertEquals("unreachable", st.snapshot().quality());
        assertFalse(st.source("knx:2", "KNX connection b is CONNECTING"), "still unreachable: not a change");
        assertTrue(st.source("knx:2", ""));
        assertEquals("good", st.quality());
        assertEquals("", st.snapshot().qualityReason());
        assertFalse(st.sourceGone("knx:2"), "still one source, still good");
        assertTrue(st.sourceGone("knx:1"), "the last source went: virtual again");
        assertFalse(st.hasSources());
        assertFalse(st.sourceGone("knx:1"));
    }

    @Test
    void an_unreachable_source_is_published_offline_and_state_reports_carry_the_quality() {
        st.accept("21.5", Instant.parse("2026-12-03T08:00:00Z"), "knx:a:1/1/1");
        st.source("bacnet", "BACnet unreachable: device 7 does not answer");
        fanOut.sourceChanged(temp, st);

        Publication availability = only("f1/temp/state/availability");
        assertEquals("down", text(availability), "the broker's own offline payload");
        assertTrue(availability.retained());
        assertEquals(1, availability.qos());
        assertEquals("test-server", availability.userProperties().get(Origin.PROPERTY), "marked as ours");
        assertEquals("down", text(only("f1/temp/plain/availability")));

        JsonObject state = json(only("f1/temp/state"));
        assertEquals(21.5, state.getJsonNumber("value").doubleValue());
        assertEquals("unreachable", state.getString("quality"));
        assertEquals("2026-12-03T08:00:00Z", state.getString("timestamp"), "the value's own time, not now");
        assertEquals(0, count("f1/temp/plain"), "a plain report has no quality: not sent again");
        assertEquals(0, count("other/temp/availability"), "availability is off on that broker");
        assertEquals("unreachable", json(only("other/temp")).getString("quality"), "STATE reports still go there");

        sent.clear();
        st.source("bacnet", "");
        fanOut.sourceChanged(temp, st);
        assertEquals("up", text(only("f1/temp/state/availability")));
        assertEquals("good", json(only("f1/temp/state")).getString("quality"));
    }

    @Test
    void a_datapoint_that_lost_its_last_source_clears_its_availability_topic() {
        st.source("knx:1", "");
        st.sourceGone("knx:1");
        fanOut.sourceChanged(temp, st);
        Publication cleared = only("f1/temp/state/availability");
        assertEquals(0, cleared.payload().length, "an empty retained message removes it from the broker");
        assertTrue(cleared.retained());
    }

    @Test
    void no_state_is_sent_again_before_there_is_a_value() {
        st.source("knx:1", "KNX connection a is CONNECTING");
        fanOut.sourceChanged(temp, st);
        assertEquals(0, count("f1/temp/state"));
        assertEquals("down", text(only("f1/temp/state/availability")));
    }

    @Test
    void a_new_session_gets_every_availability_of_its_broker() {
        ValueState other = new ValueState();
        config.put(new DpConfig(11, "virtual", DataType.REAL, AccessMode.READ, false, false),
                List.of(new BindingConfig(4, 11, BROKER, "", "f1/virtual", 0, false, PayloadFormat.PLAIN, "")));
        st.source("knx:1", "stopped");
        List<Publication> all = fanOut.availabilityOf(BROKER, Map.of(10L, st, 11L, other));
        assertEquals(List.of("f1/temp/plain/availability", "f1/temp/state/availability"),
                all.stream().map(Publication::topic).sorted().toList(), "field-bound datapoints only");
        assertTrue(all.stream().allMatch(p -> text(p).equals("down")));
        assertTrue(fanOut.availabilityOf(QUIET_BROKER, Map.of(10L, st)).isEmpty());
    }

    @Test
    void before_the_sessions_are_open_nothing_goes_and_nothing_is_counted_as_refused() {
        fanOut.attach(null);
        st.accept("1.0", Instant.now(), "knx");
        st.source("knx:1", "connecting");
        fanOut.sourceChanged(temp, st);
        assertEquals(0, fanOut.refused());
        assertEquals(0, st.snapshot().reportsRefused());
    }

    private Publication only(String topic) {
        List<Publication> found = sent.stream().filter(p -> p.topic().equals(topic)).toList();
        assertEquals(1, found.size(), topic + " in " + sent.stream().map(Publication::topic).toList());
        return found.get(0);
    }

    private long count(String topic) {
        return sent.stream().filter(p -> p.topic().equals(topic)).count();
    }

    private static String text(Publication p) {
        return new String(p.payload(), StandardCharsets.UTF_8);
    }

    private static JsonObject json(Publication p) {
        return Json.createReader(new StringReader(text(p))).readObject();
    }

    @Test
    void a_synced_value_is_kept_over_an_older_database_value_at_a_takeover() {
        Instant synced = Instant.parse("2026-12-03T05:00:02Z");
        st.synced("22.0", synced, "mqtt:1:t/set");
        st.synced("21.0", synced.minusSeconds(1), "late"); // messages crossing: an older one never wins
        assertEquals("22.0", st.snapshot().value());
        st.restore("20.0", synced.minusSeconds(2), "db", 3, "an old error");
        assertEquals("22.0", st.snapshot().value(), "the database's last write is older");
        assertEquals(3, st.snapshot().rejected(), "counters come from the database");
        st.restore("23.0", synced.plusSeconds(1), "db", 3, "");
        assertEquals("23.0", st.snapshot().value(), "a newer stored value wins");
        ValueState fresh = new ValueState();
        fresh.restore("19.0", null, null, 0, null);
        assertEquals("19.0", fresh.snapshot().value(), "at start-up the stored value is restored");
    }
}
