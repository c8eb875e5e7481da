package org.bmsmqtt.ra.session;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Refusals are logged once per cause per minute, with how many came since the last line. */
class RefusalLogTest {

    @Test
    void one_line_per_cause_per_minute_with_the_count_since_the_last() {
        Logger logger = Logger.getLogger("refusal-log-test");
        logger.setUseParentHandlers(false);
        List<String> lines = new ArrayList<>();
        logger.addHandler(new Handler() {
            @Override
            public void publish(LogRecord r) {
                lines.add(r.getMessage());
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        });
        RefusalLog log = new RefusalLog(logger, "MQTTRA0030 b");
        long t = 0;
        assertTrue(log.refused("queue full", t));
        for (int i = 0; i < 999; i++) {
            assertFalse(log.refused("queue full", t + i));
        }
        assertTrue(log.refused("broker away", t + 1), "another cause has a line of its own");
        assertTrue(log.refused("queue full", t + RefusalLog.PERIOD_NANOS));
        assertEquals(3, lines.size(), lines.toString());
        assertTrue(lines.get(2).contains("1000 times for this reason in the last minute"), lines.get(2));
    }
}
