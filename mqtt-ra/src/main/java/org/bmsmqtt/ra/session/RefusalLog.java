package org.bmsmqtt.ra.session;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Logger;

/**
 * Logs a refusal once per cause per minute, with how many of that cause came since the last line: a burst of a
 * thousand refusals is one line, not a thousand. Also used for failed connect attempts, so that a broker down for a
 * day at a reconnect interval of 1 s is a line a minute, not 86,400 lines.
 */
final class RefusalLog {

    static final long PERIOD_NANOS = TimeUnit.MINUTES.toNanos(1);
    private static final int MAX_CAUSES = 100;

    private final Logger log;
    private final String prefix;
    private final String event;
    private final String tail;
    private final Map<String, Cause> causes = new ConcurrentHashMap<>();

    private static final class Cause {
        final AtomicLong count = new AtomicLong();
        volatile long loggedAt;
        volatile boolean logged;
    }

    RefusalLog(Logger log, String prefix) {
        this(log, prefix, "publication refused", "");
    }

    /**
     * @param event what happened, in words ("connect failed")
     * @param tail  appended to every line (what happens next: "; retrying every 5 s")
     */
    RefusalLog(Logger log, String prefix, String event, String tail) {
        this.log = log;
        this.prefix = prefix;
        this.event = event;
        this.tail = tail;
    }

    /** Forgets the causes: after a recovery the next failure is news and gets its line at once. */
    void reset() {
        causes.clear();
    }

    void refused(String why) {
        refused(why, System.nanoTime());
    }

    /** @return whether a line was written */
    boolean refused(String why, long now) {
        if (causes.size() > MAX_CAUSES && !causes.containsKey(why)) {
            causes.clear(); // causes are few in practice; never let varying texts grow the map without bound
        }
        Cause c = causes.computeIfAbsent(why, k -> new Cause());
        c.count.incrementAndGet();
        synchronized (c) {
            if (c.logged && now - c.loggedAt < PERIOD_NANOS) {
                return false;
            }
            long since = c.count.getAndSet(0);
            boolean first = !c.logged;
            c.logged = true;
            c.loggedAt = now;
            log.warning(prefix + ": " + event + ": " + why + (first ? ""
                    : " (" + since + " times for this reason in the last minute)") + tail
                    + "; further ones for this reason are counted and logged at most once a minute");
            return true;
        }
    }
}
