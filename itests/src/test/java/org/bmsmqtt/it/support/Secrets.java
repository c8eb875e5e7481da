package org.bmsmqtt.it.support;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The secrets the tests send (broker passwords, key passwords, user passwords, the test admin's password) and every
 * response body {@link Http} received since the last check. {@link NoSecretInResponses} checks after each test class
 * that no body contains any of them, so a leak fails the run even in a test that never looks for it.
 * Register a secret before sending it: {@code String pw = Secrets.register("pw-" + UUID.randomUUID());}
 */
public final class Secrets {

    /** Bodies kept between two checks before they are checked early and dropped (the benchmark never checks). */
    private static final long MAX_KEPT_CHARS = 64L * 1024 * 1024;

    private static final Set<String> SECRETS = ConcurrentHashMap.newKeySet();
    private static final List<Seen> BODIES = new ArrayList<>();
    private static final List<String> LEAKS = new ArrayList<>();
    private static long keptChars;

    private record Seen(String request, String body) {
    }

    static {
        register(Http.ADMIN_PASSWORD);
    }

    private Secrets() {
    }

    /** Remembers a secret a test is about to send; returns it. Short strings are refused (they would match by chance). */
    public static String register(String secret) {
        if (secret == null || secret.length() < 8) {
            throw new IllegalArgumentException("register secrets of 8 characters or more");
        }
        SECRETS.add(secret);
        return secret;
    }

    /** Every response body of the suite comes through here ({@link Http}). */
    static synchronized void seen(String request, String body) {
        if (body == null || body.isEmpty()) {
            return;
        }
        BODIES.add(new Seen(request, body));
        keptChars += body.length();
        if (keptChars > MAX_KEPT_CHARS) {
            scan();
        }
    }

    /** The leaks found since the last call (each "request: which secret"; never the secret itself), then forgets them. */
    public static synchronized List<String> leaks() {
        scan();
        List<String> found = List.copyOf(LEAKS);
        LEAKS.clear();
        return found;
    }

    private static void scan() {
        for (Seen s : BODIES) {
            for (String secret : SECRETS) {
                if (s.body().contains(secret)) {
                    LEAKS.add(s.request() + " returned a registered secret (" + secret.length() + " characters, starting "
                            + secret.substring(0, 3) + "...)");
                }
            }
        }
        BODIES.clear();
        keptChars = 0;
    }
}
