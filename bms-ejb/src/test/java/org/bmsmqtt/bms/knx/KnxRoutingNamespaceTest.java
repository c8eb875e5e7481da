package org.bmsmqtt.bms.knx;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * KNX routing (multicast 224.0.23.12) for real, without sending anything to the host's network: {@link KnxRoutingProbe}
 * runs in a child JVM under {@code unshare -rn} (a user + network namespace of its own, which has only {@code lo}),
 * with {@code lo} up and a multicast route on it. Where the kernel or the container does not allow unprivileged
 * namespaces, or {@code ip} is missing, the test is skipped with the reason (also with CI=true: routing is optional
 * here, tunnelling is the tested path).
 */
class KnxRoutingNamespaceTest {

    private static final String SETUP = "ip link set lo up && ip link set lo multicast on"
            + " && ip route add 224.0.0.0/4 dev lo";

    @Test
    void aRoutedGroupWriteArrivesBothWaysInsideANetworkNamespace() throws Exception {
        String why = namespaceUnavailable();
        if (why != null) {
            System.out.println("SKIPPED (no network namespace): " + why);
            Assumptions.abort(why);
        }
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process p = new ProcessBuilder("unshare", "-rn", "sh", "-c", SETUP + " && exec \"$0\" \"$@\"", java,
                "-cp", System.getProperty("java.class.path"), KnxRoutingProbe.class.getName())
                .redirectErrorStream(true).start();
        boolean done = p.waitFor(90, TimeUnit.SECONDS);
        if (!done) {
            p.destroyForcibly();
        }
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(done, "the probe did not finish: " + out);
        List<String> lines = out.lines().filter(l -> l.startsWith("OK ") || l.startsWith("FAIL ")).toList();
        assertEquals(0, p.exitValue(), out);
        assertEquals(List.of("OK link -> router: 1/2/3=0c33", "OK router -> link: 1/2/4=0c34"), lines, out);
    }

    /** Null when {@code unshare -rn} and {@code ip} work here; else why not. */
    private static String namespaceUnavailable() {
        try {
            Process p = new ProcessBuilder("unshare", "-rn", "sh", "-c", SETUP).redirectErrorStream(true).start();
            if (!p.waitFor(20, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return "unshare -rn did not finish";
            }
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            return p.exitValue() == 0 ? null : "unshare -rn / ip failed (" + p.exitValue() + "): " + out;
        } catch (IOException e) {
            return "unshare is not available: " + e.getMessage();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "interrupted";
        }
    }
}
