package org.bmsmqtt.bms.discovery;

import org.bmsmqtt.bms.broker.BrokerRegistry;
import org.bmsmqtt.ra.api.MqttMessage;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Reads back the retained discovery configs a broker holds under this server's node
 * ({@code <prefix>/+/bms_<server>/+/config}) when its session opens: a short-lived subscription, its retained
 * messages collected until they stop coming (bounded in time), then unsubscribed. What was published lives in memory
 * only, so this is how configs of datapoints deleted while the server was down are found.
 */
final class DiscoveryReadBack {

    /** Retained messages come at once after the SUBACK: quiet this long means all are in. */
    static final long QUIET_MILLIS = 1_000;
    static final long MAX_MILLIS = 5_000;

    private record Reading(String prefix, String node, Set<String> topics) {
    }

    private final BrokerRegistry registry;
    private final Map<Long, Reading> reading = new ConcurrentHashMap<>();

    DiscoveryReadBack(BrokerRegistry registry) {
        this.registry = registry;
    }

    /** From the delivery thread (messages on no command topic): quick, never throws. */
    void onMessage(MqttMessage m) {
        Reading r;
        try {
            r = reading.get(Long.parseLong(m.broker()));
        } catch (NumberFormatException e) {
            return;
        }
        String t = m.topic();
        if (r != null && m.payload().length > 0 && t.startsWith(r.prefix() + "/") && t.endsWith("/config")
                && t.contains("/" + r.node() + "/")) {
            r.topics().add(t);
        }
    }

    /** The config topics the broker holds for this server now (empty when it could not subscribe). */
    Set<String> read(long brokerId, DiscoveryTarget target) {
        String node = HaDiscovery.node(target);
        Reading r = new Reading(target.prefix(), node, ConcurrentHashMap.newKeySet());
        String filter = target.prefix() + "/+/" + node + "/+/config";
        reading.put(brokerId, r);
        try {
            if (!registry.subscribeOnce(brokerId, filter, true)) {
                return Set.of();
            }
            long start = System.nanoTime();
            long lastChange = start;
            int seen = 0;
            while (millisSince(start) < MAX_MILLIS && millisSince(lastChange) < QUIET_MILLIS) {
                Thread.sleep(100);
                if (r.topics().size() != seen) {
                    seen = r.topics().size();
                    lastChange = System.nanoTime();
                }
            }
            registry.subscribeOnce(brokerId, filter, false);
            return Set.copyOf(r.topics());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Set.of();
        } finally {
            reading.remove(brokerId);
        }
    }

    private static long millisSince(long nanos) {
        return (System.nanoTime() - nanos) / 1_000_000;
    }
}
