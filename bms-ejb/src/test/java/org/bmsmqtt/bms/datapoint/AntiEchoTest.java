package org.bmsmqtt.bms.datapoint;

import org.junit.jupiter.api.Test;

import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The anti-echo rules of {@link ValueState}: each report explains one echo within the window, no more. */
class AntiEchoTest {

    static final long WINDOW = TimeUnit.SECONDS.toNanos(2);
    static final long BROKER = 1;

    private final ValueState st = new ValueState();

    @Test
    void the_echo_of_a_report_is_dropped_once_and_a_repeated_command_after_it_is_taken() {
        st.reportedTo(BROKER, "21.5", 0);
        assertTrue(st.takeEcho(BROKER, "21.5", WINDOW, 1_000_000), "the report came back: its echo");
        assertFalse(st.takeEcho(BROKER, "21.5", WINDOW, 2_000_000), "a second one is a command of someone's");
        assertEquals(1, st.snapshot().echoes());
    }

    @Test
    void a_value_we_did_not_report_is_never_an_echo() {
        st.reportedTo(BROKER, "1", 0);
        assertFalse(st.takeEcho(BROKER, "0", WINDOW, 10));
        assertFalse(st.takeEcho(2, "1", WINDOW, 10), "another broker's command");
    }

    @Test
    void past_the_window_an_equal_value_is_a_command() {
        st.reportedTo(BROKER, "true", 0);
        assertFalse(st.takeEcho(BROKER, "true", WINDOW, WINDOW + 1));
        assertEquals(0, st.snapshot().echoes());
    }

    @Test
    void a_window_of_zero_turns_the_rule_off() {
        st.reportedTo(BROKER, "true", 0);
        assertFalse(st.takeEcho(BROKER, "true", 0, 1));
    }

    @Test
    void two_values_in_flight_on_a_slow_loop_are_both_matched_so_the_loop_cannot_oscillate() {
        // commands 1 then 0 arrive before the loop brings back the report of 1: reports 1 and 0 are both in flight
        st.reportedTo(BROKER, "1", 0);
        st.reportedTo(BROKER, "0", 10);
        assertTrue(st.takeEcho(BROKER, "1", WINDOW, 20), "the late echo of 1 must not flip the value back");
        assertTrue(st.takeEcho(BROKER, "0", WINDOW, 30));
        assertFalse(st.takeEcho(BROKER, "1", WINDOW, 40), "the loop is quiet: the next 1 is a command");
    }

    @Test
    void at_most_a_bounded_number_of_reports_wait_for_their_echo() {
        for (int i = 0; i < ValueState.ECHO_SLOTS + 5; i++) {
            st.reportedTo(BROKER, Integer.toString(i), i);
        }
        assertFalse(st.takeEcho(BROKER, "0", WINDOW, 100), "the oldest made room");
        assertTrue(st.takeEcho(BROKER, Integer.toString(ValueState.ECHO_SLOTS + 4), WINDOW, 100));
    }

    @Test
    void seed_style_a_value_from_a_broker_is_not_sent_back_to_it_within_the_window() {
        st.arrivedFrom(BROKER, "5", 0);
        assertTrue(st.isEcho(BROKER, "5", WINDOW, 1));
        assertFalse(st.isEcho(BROKER, "6", WINDOW, 1));
        assertFalse(st.isEcho(2, "5", WINDOW, 1));
        assertFalse(st.isEcho(BROKER, "5", WINDOW, WINDOW + 1));
    }

    @Test
    void refused_reports_are_counted_with_the_last_reason() {
        assertEquals(1, st.reportRefused("queue full"));
        assertEquals(2, st.reportRefused("broker 2 is not open"));
        assertEquals(2, st.snapshot().reportsRefused());
        assertEquals("broker 2 is not open", st.snapshot().lastReportError());
    }
}
