package org.bmsmqtt.it.bench;

import org.bmsmqtt.it.support.Http;
import org.bmsmqtt.it.support.MicroProcess;
import org.bmsmqtt.ra.testing.Mosquitto;

import java.sql.Connection;
import java.sql.DriverManager;
import java.util.Map;

/**
 * The scale phase of {@link BmsBenchmark}: SCALE_BROKERS broker connections and SCALE_DATAPOINTS datapoints, written
 * straight into the database while the server is down (the REST API would take minutes), then: start-up time, time
 * until every session is connected, and one QoS 1 message to every datapoint's command topic, all of which must
 * reach datapoint state. All brokers point at one mosquitto (the tuned one).
 */
final class ScaleBench {

    static final int SCALE_BROKERS = Integer.getInteger("bench.scaleBrokers", 100);
    static final int SCALE_DATAPOINTS = Integer.getInteger("bench.scaleDatapoints", 100_000);

    private ScaleBench() {
    }

    /**
     * @param otherSessions the sessions there were before (they reconnect too)
     * @param emptyStartSeconds the first start of the run, on an empty database
     */
    static void run(Http api, MicroProcess micro, Mosquitto broker, String pgUrl, int otherSessions,
                    double emptyStartSeconds, Map<String, String> results) throws Exception {
        System.out.println("== scale: " + SCALE_BROKERS + " brokers, " + SCALE_DATAPOINTS + " datapoints (tuned mosquitto)");
        micro.stop();
        seed(pgUrl, BmsBenchmark.SCHEMA, broker.port());
        long t0 = System.nanoTime();
        micro.start();
        double startSeconds = (System.nanoTime() - t0) / 1e9;
        long loadEnd = System.nanoTime() + BmsBenchmark.TIMEOUT_NANOS;
        while (!micro.logContains("BMS0600") && System.nanoTime() < loadEnd) {
            Thread.sleep(100); // the engine loads after deployment, off the deployment thread
        }
        java.util.regex.Matcher engine = java.util.regex.Pattern.compile("BMS0600 datapoint engine ready: (\\d+) datapoints.* in (\\d+) ms")
                .matcher(micro.logText());
        String engineFigure = engine.find() ? engine.group(1) + " datapoints loaded in " + engine.group(2) + " ms" : "?";
        long connectedAt = 0;
        long end = System.nanoTime() + BmsBenchmark.TIMEOUT_NANOS;
        int connected = 0;
        int sessions = SCALE_BROKERS + otherSessions;
        while (System.nanoTime() < end) {
            connected = 0;
            for (var s : api.get("system/status").json().getJsonArray("brokers")) {
                if ("CONNECTED".equals(s.asJsonObject().getString("state"))) {
                    connected++;
                }
            }
            if (connected >= sessions) {
                connectedAt = System.nanoTime();
                break;
            }
            Thread.sleep(100);
        }
        results.put("scale: start-up", String.format("Payara Micro ready %.1f s after launch (%s; with an empty "
                        + "database %.1f s); %d of %d sessions connected %.1f s after launch", startSeconds, engineFigure,
                emptyStartSeconds, connected, sessions,
                (connectedAt == 0 ? Double.NaN : (connectedAt - t0) / 1e9)));
        Thread.sleep(3000); // the last sessions' SUBSCRIBE packets
        long base = BmsBenchmark.counter(api, "engine", "accepted");
        BmsBenchmark.Flow f = BmsBenchmark.publishAndWait(broker.uri(), "scale/", 1, SCALE_DATAPOINTS,
                i -> "scale/" + i + "/set", () -> BmsBenchmark.counter(api, "engine", "accepted") - base);
        results.put("scale: one message each", String.format("%,d datapoints on %d brokers, QoS 1: %,.0f msg/s, "
                + "%,d of %,d reached datapoint state", SCALE_DATAPOINTS, SCALE_BROKERS, f.rate(),
                BmsBenchmark.counter(api, "engine", "accepted") - base, SCALE_DATAPOINTS));
    }

    /**
     * Writes SCALE_BROKERS brokers (all on 127.0.0.1:{@code brokerPort}) and SCALE_DATAPOINTS REAL datapoints, each
     * with a QoS 1 command topic, straight into {@code schema}, which a first start of the server created.
     */
    static void seed(String pgUrl, String schema, int brokerPort) throws Exception {
        int perBroker = SCALE_DATAPOINTS / SCALE_BROKERS;
        try (Connection c = DriverManager.getConnection(pgUrl, "postgres", "")) {
            c.setAutoCommit(false);
            c.createStatement().execute("SET search_path TO " + schema);
            try (var b = c.prepareStatement("INSERT INTO broker (id, name, path, host, port, client_id, username, "
                    + "password_enc, reconnect_interval, keep_alive, tls_enabled, tls_versions, tls_ca_file, "
                    + "tls_client_cert_file, tls_client_key_file, tls_key_password_enc, tls_hostname_verification, "
                    + "anti_echo_millis, enabled) VALUES (?, ?, ?, '127.0.0.1', ?, ?, '', '', 1, 30, false, '', '', '', "
                    + "'', '', true, 10000, true)");
                 var d = c.prepareStatement("INSERT INTO datapoint (id, name, path, data_type, access_mode, persistent, "
                         + "historical) VALUES (?, ?, ?, 'REAL', 'READ_WRITE', false, false)");
                 var m = c.prepareStatement("INSERT INTO mqtt_binding (id, datapoint_id, broker_id, command_topic, "
                         + "report_topic, qos, retained, payload_format, json_pointer) VALUES (?, ?, ?, ?, '', 1, false, "
                         + "'PLAIN', '')")) {
                for (int k = 0; k < SCALE_BROKERS; k++) {
                    long brokerId = 10_000_000L + k;
                    b.setLong(1, brokerId);
                    b.setString(2, "scale-" + k);
                    b.setString(3, "brokers/scale/" + k);
                    b.setInt(4, brokerPort);
                    b.setString(5, "bms-scale-" + k);
                    b.addBatch();
                }
                b.executeBatch();
                for (int i = 0; i < SCALE_DATAPOINTS; i++) {
                    long id = 10_000_000L + i;
                    d.setLong(1, id);
                    d.setString(2, "scale-" + i);
                    d.setString(3, "scale/" + (i / perBroker) + "/" + i);
                    d.addBatch();
                    m.setLong(1, id);
                    m.setLong(2, id);
                    m.setLong(3, 10_000_000L + Math.min(SCALE_BROKERS - 1, i / perBroker));
                    m.setString(4, "scale/" + i + "/set");
                    m.addBatch();
                    if (i % 5000 == 4999) {
                        d.executeBatch();
                        m.executeBatch();
                    }
                }
                d.executeBatch();
                m.executeBatch();
            }
            c.commit();
        }
    }
}
