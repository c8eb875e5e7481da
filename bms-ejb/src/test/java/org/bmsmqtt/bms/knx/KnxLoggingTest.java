package org.bmsmqtt.bms.knx;

import org.junit.jupiter.api.Test;
import tuwien.auto.calimero.log.LogService;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Calimero logs through slf4j; the module ships slf4j's java.util.logging provider (runtime scope, so in the WAR and
 * the EAR's lib), so its lines reach the server log. Without a provider slf4j 2 silently drops them (NOP).
 */
class KnxLoggingTest {

    @Test
    void calimerosLogReachesJavaUtilLogging() {
        List<LogRecord> seen = new CopyOnWriteArrayList<>();
        Logger jul = Logger.getLogger("calimero.bms-test");
        Handler h = new Handler() {
            @Override
            public void publish(LogRecord r) {
                seen.add(r);
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        jul.addHandler(h);
        try {
            LogService.getLogger("calimero.bms-test").warn("a line from Calimero");
            assertEquals(1, seen.size(), "slf4j provider: " + org.slf4j.LoggerFactory.getILoggerFactory().getClass());
            assertEquals("a line from Calimero", seen.get(0).getMessage());
            assertEquals(Level.WARNING, seen.get(0).getLevel());
        } finally {
            jul.removeHandler(h);
        }
    }
}
