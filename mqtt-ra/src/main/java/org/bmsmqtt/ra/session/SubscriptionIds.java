package org.bmsmqtt.ra.session;

/**
 * MQTT 5 subscription identifiers, derived from the filter alone so that the same filter gets the same identifier in
 * every run of every JVM ({@link String#hashCode()} is specified): messages the broker queued in the persistent session
 * while we were away still carry an identifier we recognise after our own restart, and only a filter an earlier
 * configuration subscribed (and the current one does not) delivers copies with identifiers of no current
 * subscription - those copies are dropped.
 * <p>
 * Identifiers fall into {@value #BUCKETS} buckets, not one per filter: a SUBSCRIBE packet carries one identifier for
 * all its filters, so one per filter would mean 100,000 SUBSCRIBE packets for 100,000 datapoint topics at every
 * connect. Two filters of one bucket share an identifier; a stale filter sharing a bucket with a current filter that
 * matches the same topic delivers its copy as if there were no identifiers (a duplicate, as before identifiers).
 */
final class SubscriptionIds {

    static final int BUCKETS = 1024;

    private SubscriptionIds() {
    }

    /** 1..{@value #BUCKETS} (0 is not a valid subscription identifier). */
    static int of(String filter) {
        int h = filter.hashCode();
        h ^= h >>> 16; // String.hashCode's low bits spread badly over similar topics: mix them (MurmurHash3's finaliser)
        h *= 0x85ebca6b;
        h ^= h >>> 13;
        h *= 0xc2b2ae35;
        h ^= h >>> 16;
        return 1 + Math.floorMod(h, BUCKETS);
    }
}
