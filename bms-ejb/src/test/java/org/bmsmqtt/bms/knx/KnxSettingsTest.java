package org.bmsmqtt.bms.knx;

import org.bmsmqtt.bms.shared.InvalidValueException;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class KnxSettingsTest {

    private static KnxConnectionSettings conn(KnxConnectionType type, String host, int port, String local) {
        return new KnxConnectionSettings("gw", type, host, port, local, true, 10, 2000, true);
    }

    private static String field(Runnable r) {
        return assertThrows(InvalidValueException.class, r::run).field();
    }

    @Test
    void connectionDefaultsAndValidation() {
        var s = conn(null, " 127.0.0.1 ", 3671, "");
        assertEquals(KnxConnectionType.TUNNELING_UDP, s.type());
        assertEquals("127.0.0.1", s.host());
        assertEquals("224.0.23.12", conn(KnxConnectionType.ROUTING, "", 3671, "").host());
        assertEquals("knx-gw.example", conn(KnxConnectionType.TUNNELING_TCP, "knx-gw.example", 3671, "::1").host());
        assertEquals("host", field(() -> conn(KnxConnectionType.TUNNELING_UDP, "", 3671, "")));
        assertEquals("host", field(() -> conn(KnxConnectionType.TUNNELING_UDP, "a host", 3671, "")));
        assertEquals("host", field(() -> conn(KnxConnectionType.ROUTING, "192.168.1.10", 3671, "")));
        assertEquals("port", field(() -> conn(KnxConnectionType.TUNNELING_UDP, "h", 0, "")));
        assertEquals("port", field(() -> conn(KnxConnectionType.TUNNELING_UDP, "h", 65536, "")));
        assertEquals("localAddress", field(() -> conn(KnxConnectionType.TUNNELING_UDP, "h", 3671, "eth0")));
        assertEquals("localAddress", field(() -> conn(KnxConnectionType.TUNNELING_UDP, "h", 3671, "300.1.1.1")));
        assertEquals("name", field(() -> new KnxConnectionSettings(" ", null, "h", 3671, "", true, 10, 0, true)));
        assertEquals("reconnectIntervalSeconds",
                field(() -> new KnxConnectionSettings("n", null, "h", 3671, "", true, 0, 0, true)));
        assertEquals("antiEchoMillis",
                field(() -> new KnxConnectionSettings("n", null, "h", 3671, "", true, 10, -1, true)));
    }

    @Test
    void bindingAddressesAreCanonicalAndTheDptIsChecked() {
        var b = new KnxBindingSettings(1, " 1/2/003 ", List.of("1/516", "2565"), "9.1", true, false);
        assertEquals("1/2/3", b.writeAddress());
        assertEquals(List.of("1/516", "2565"), b.listenAddresses());
        assertEquals(List.of("1/2/3", "1/516", "2565"), b.inboundAddresses());
        assertEquals("9.001", b.dpt());
        assertEquals("1/516,2565", b.listenColumn());
        assertEquals(b.listenAddresses(), KnxBindingSettings.fromColumn(b.listenColumn()));
        var listenOnly = new KnxBindingSettings(1, "", List.of("1/2/4"), "1.001", false, false);
        assertEquals(List.of("1/2/4"), listenOnly.inboundAddresses());
    }

    @Test
    void bindingErrorsNameTheField() {
        assertEquals("writeAddress", field(() -> new KnxBindingSettings(1, "", List.of(), "1.001", false, false)));
        assertEquals("writeAddress", field(() -> new KnxBindingSettings(1, "1/8/0", List.of(), "1.001", false, false)));
        assertEquals("listenAddresses", field(() -> new KnxBindingSettings(1, "1/2/3", List.of("x"), "1.001", false, false)));
        // 1/2/3 and 2563 are the same address
        assertEquals("listenAddresses", field(() -> new KnxBindingSettings(1, "1/2/3", List.of("2563"), "1.001", false, false)));
        assertEquals("dpt", field(() -> new KnxBindingSettings(1, "1/2/3", List.of(), "10.001", false, false)));
        assertEquals("dpt", field(() -> new KnxBindingSettings(1, "1/2/3", List.of(), null, false, false)));
    }
}
