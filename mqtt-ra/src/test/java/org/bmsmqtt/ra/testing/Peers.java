package org.bmsmqtt.ra.testing;

import org.junit.jupiter.api.Assumptions;

import java.io.File;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;

/**
 * Real peers the tests need. A missing peer skips the test with the reason printed, except with {@code CI=true}:
 * then it fails, so CI never passes by skipping.
 */
public final class Peers {

    private Peers() {
    }

    public static boolean ci() {
        return "true".equalsIgnoreCase(System.getenv("CI"));
    }

    /** Skips (or, on CI, fails) unless {@code available}. */
    public static void require(boolean available, String reason) {
        if (available) {
            return;
        }
        if (ci()) {
            throw new AssertionError("CI=true and a peer is missing: " + reason);
        }
        System.out.println("SKIPPED (peer missing): " + reason);
        Assumptions.abort(reason);
    }

    public static boolean mosquittoInstalled() {
        return executable(Mosquitto.BINARY) != null;
    }

    public static boolean postgresAnswers() {
        return portOpen("127.0.0.1", 5432);
    }

    public static String executable(String name) {
        if (name.contains("/")) {
            return new File(name).canExecute() ? name : null;
        }
        String path = System.getenv().getOrDefault("PATH", "") + ":/usr/sbin:/sbin:/usr/local/sbin";
        for (String dir : path.split(":")) {
            File f = new File(dir, name);
            if (f.canExecute()) {
                return f.getAbsolutePath();
            }
        }
        return null;
    }

    public static boolean portOpen(String host, int port) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(host, port), 1000);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    public static int freePort() {
        try (java.net.ServerSocket s = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException("no free port", e);
        }
    }
}
