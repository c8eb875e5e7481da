package org.bmsmqtt.ra.session;

/** For tests of other packages: pretends publications wait in a session's publish queue. */
public final class Backlogs {

    private Backlogs() {
    }

    public static void add(int publications) {
        PublishBacklog.changed(publications);
    }

    /** Whether no publication waits in any session of this JVM (inline delivery needs it). */
    public static boolean none() {
        return PublishBacklog.empty();
    }
}
