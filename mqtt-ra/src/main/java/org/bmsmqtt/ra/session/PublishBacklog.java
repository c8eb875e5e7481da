package org.bmsmqtt.ra.session;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * Whether a publish queue of this adapter's sessions is half full or more, and which threads are MQTT clients'
 * callback threads.
 * <p>
 * A delivery lane hands a message to its endpoint on the client's callback thread only while the backlog is
 * {@link #roomy()}: every queue below half its capacity. Above it, messages go through the lanes' Works, which
 * wait for room in a full queue (back-pressure reaches the inbound side). A callback thread itself never waits for
 * room ({@link OutboundQueue}): it is the thread that takes the completions that free room. With the backlog below
 * half of every queue, what one delivery publishes fits anyway; when other publishers filled a queue in between, its
 * few publications go over the capacity instead of waiting or being refused.
 */
public final class PublishBacklog {

    /** Queues holding half their capacity or more. */
    private static final AtomicInteger CROWDED = new AtomicInteger();
    /** Set on an MQTT client's callback thread by the session's callback (Paho's thread lives as long as its client). */
    private static final ThreadLocal<Boolean> CALLBACK = ThreadLocal.withInitial(() -> Boolean.FALSE);

    private PublishBacklog() {
    }

    /** True when every publish queue is below half its capacity (a hint: it may change right after). */
    public static boolean roomy() {
        return CROWDED.get() <= 0;
    }

    /** +1: a queue became half full; -1: it went below half again (or closed). */
    static void crowded(int delta) {
        CROWDED.addAndGet(delta);
    }

    /** The current thread is an MQTT client's callback thread (marked at its first message). */
    static void markCallbackThread() {
        if (!CALLBACK.get()) {
            CALLBACK.set(Boolean.TRUE);
        }
    }

    static boolean onCallbackThread() {
        return CALLBACK.get();
    }
}
