package org.bmsmqtt.ra.session;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * How many publications wait in the publish queues of all sessions of this adapter. A delivery lane hands a message
 * to its endpoint on the MQTT client's own thread only while this is 0: an endpoint that publishes what it receives
 * can then never wait for room in a full publish queue on the very thread that would free it.
 */
public final class PublishBacklog {

    private static final AtomicInteger WAITING = new AtomicInteger();

    private PublishBacklog() {
    }

    /** True when no publication of any session waits (a hint: it may change right after). */
    public static boolean empty() {
        return WAITING.get() <= 0;
    }

    static void changed(int delta) {
        if (delta != 0) {
            WAITING.addAndGet(delta);
        }
    }
}
