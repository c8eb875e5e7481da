package org.bmsmqtt.it.security;

import org.bmsmqtt.it.support.Http;
import org.bmsmqtt.it.support.MicroProcess;
import org.bmsmqtt.it.support.TestEnvironment;
import org.bmsmqtt.ra.testing.Peers;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * First start without {@code bms.admin.password}: Payara Micro as an operator starts it (MicroProcess), an empty
 * data folder (H2). The generated admin password is in the log once (BMS0700), logs in, and a restart does not show
 * it again. Runs in the micro-h2 execution only (it starts its own server; the database does not matter).
 */
class FirstAdminMicroIT {

    private static final Pattern GENERATED =
            Pattern.compile("BMS0700 created the first admin user 'admin' with the generated password (\\S+) ");

    private static MicroProcess micro;

    @AfterAll
    static void stop() {
        if (micro != null) {
            micro.close();
        }
    }

    @Test
    void a_generated_password_is_logged_once_logs_in_and_is_not_shown_again_after_a_restart() throws IOException {
        Assumptions.assumeTrue("micro-h2".equals(System.getProperty("it.execution", "micro-h2")),
                "runs in the micro-h2 execution only");
        Path build = TestEnvironment.buildDir();
        assertTrue(MicroProcess.available(build), "the itests build did not copy the server and the applications");
        Path work = build.resolve("first-admin");
        deleteTree(work);
        Map<String, String> config = new LinkedHashMap<>();
        config.put("bms.data.dir", work.resolve("data").toAbsolutePath().toString());
        // the product's defaults, but for the integrated broker's port (1883 is the machine's mosquitto): the broker
        // "default" is the internal connection to the integrated broker
        int brokerPort = Peers.freePort();
        config.put("bms.integrated-broker.port", String.valueOf(brokerPort));
        config.put("bms.mqtt.client-id", "bms-it-first-admin");
        config.put("bms.server-id", "bms-it-first-admin");
        micro = new MicroProcess(build, work.resolve("micro"), config).start();

        String log = micro.logText();
        Matcher m = GENERATED.matcher(log);
        assertTrue(m.find(), "no BMS0700 line with the generated password in " + micro.log());
        String password = m.group(1);
        assertTrue(password.length() >= 20, "a strong password: " + password.length() + " characters");
        assertEquals(1, count(log, password), "the password is logged exactly once");
        assertTrue(log.contains("shown only this once"), "the line says it is shown only once");

        Http anonymous = new Http(micro.api(), null, null);
        Http admin = anonymous.as("admin", password);
        assertEquals(401, anonymous.get("users").status());
        assertEquals(401, anonymous.as("admin", "admin").get("users").status(), "no default password");
        Http.Response users = admin.get("users");
        assertEquals(200, users.status(), users.body());
        assertFalse(users.body().contains(password));

        // a password set through the API never reaches the log
        String userPassword = "api-pw-" + UUID.randomUUID();
        assertEquals(201, admin.postJson("users", "{\"username\": \"ops\", \"password\": \"" + userPassword
                + "\", \"roles\": [\"bms-viewer\"]}").status());
        assertEquals(200, admin.as("ops", userPassword).get("datapoints").status());

        // out of the box the integrated broker runs and the broker "default" is connected to it as the user "bms"
        jakarta.json.JsonObject status = admin.await("integrated-broker/status",
                r -> r.status() == 200 && r.json().getString("state").equals("RUNNING"), java.time.Duration.ofSeconds(60))
                .json();
        assertEquals(brokerPort, status.getInt("port"), status.toString());
        jakarta.json.JsonObject standard = admin.get("brokers").json(jakarta.json.JsonArray.class).getJsonObject(0);
        assertEquals("bms", standard.getString("internalUser"), standard.toString());
        Http.Response connected = admin.await("brokers/" + standard.getJsonNumber("id") + "/status",
                r -> r.status() == 200 && r.json().getString("state").equals("CONNECTED"), java.time.Duration.ofSeconds(60));
        assertEquals("CONNECTED", connected.json().getString("state"), connected.body());
        // the integrated broker starts in the background after deployment; the sessions open only after it is up
        micro.awaitStartUp();
        String started = micro.logText();
        assertTrue(started.indexOf("BMS1100") >= 0 && started.indexOf("BMS1100") < started.indexOf("BMS0210"),
                "the integrated broker (BMS1100) is up before the broker sessions open (BMS0210): see " + micro.log());

        micro.stop();
        String firstRunLog = micro.logText();
        assertFalse(firstRunLog.contains(userPassword), "a user's password is in the log");
        deleteTree(work.resolve("micro/root")); // a fresh server root; the data folder (database) stays
        micro.start();
        String again = micro.logText();
        assertFalse(again.contains("BMS0700"), "the generated password was shown again after a restart");
        assertFalse(again.contains(password), "the generated password is in the log after a restart");
        assertEquals(200, admin.get("users").status(), "the generated password still logs in after a restart");
        assertEquals(200, admin.as("ops", userPassword).get("datapoints").status());
    }

    private static int count(String text, String part) {
        int n = 0;
        for (int i = text.indexOf(part); i >= 0; i = text.indexOf(part, i + 1)) {
            n++;
        }
        return n;
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> s = Files.walk(dir)) {
            s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }
}
