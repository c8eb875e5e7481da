package org.bmsmqtt.it.thinpath;

import org.bmsmqtt.it.support.Http;
import org.bmsmqtt.it.support.RequiredPeers;
import org.bmsmqtt.it.support.TestEnvironment;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.ShrinkWrap;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.extension.ExtendWith;

import java.net.URI;
import java.net.URL;

/**
 * The thin path on Payara Micro deployed by ARQUILLIAN (mqtt-ra.rar post-boot + bms.war): the Arquillian deployment
 * path, proven once, in the H2 execution. The PostgreSQL execution runs the same tests on its shared Micro
 * ({@link ThinPathSharedMicroIT}): the deployment path does not depend on the database, and a Micro of its own cost
 * that execution 22-24 s.
 */
@ExtendWith(RequiredPeers.class)
@ExtendWith(ArquillianExtension.class)
@EnabledIfSystemProperty(named = "it.execution", matches = "micro-h2", disabledReason = "the Arquillian deployment "
        + "path is proven in the H2 execution; ThinPathSharedMicroIT runs these tests on PostgreSQL")
@RunAsClient
class ThinPathMicroIT extends MicroThinPath {

    @ArquillianResource
    URL deployment;

    @Deployment(testable = false)
    static WebArchive bms() {
        return ShrinkWrap.createFromZipFile(WebArchive.class, TestEnvironment.buildDir().resolve("bms.war").toFile());
    }

    @Override
    Http api() {
        // The container reports the machine's external address; the server listens on all of them.
        URI u = URI.create(deployment.toString());
        return new Http(URI.create("http://127.0.0.1:" + u.getPort() + u.getPath()).resolve("api/v1/"));
    }
}
