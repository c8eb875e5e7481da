package org.bmsmqtt.ra.session;

/** For tests of other packages: pretends a session's publish queue is half full or more. */
public final class Backlogs {

    private Backlogs() {
    }

    /** +1: one more queue is half full; -1: one less. */
    public static void crowd(int queues) {
        PublishBacklog.crowded(queues);
    }

    /** Whether every publish queue of this JVM is below half full (inline delivery needs it). */
    public static boolean roomy() {
        return PublishBacklog.roomy();
    }
}
