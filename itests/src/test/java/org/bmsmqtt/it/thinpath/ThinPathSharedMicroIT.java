package org.bmsmqtt.it.thinpath;

import org.bmsmqtt.it.support.Http;
import org.bmsmqtt.it.support.RequiredPeers;
import org.bmsmqtt.it.support.SharedMicro;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The thin path on the PostgreSQL execution's shared Payara Micro (mqtt-ra.rar + bms.war, started by
 * {@code support.MicroProcess} as the README's run command does). Arquillian's deployment of the same archives is
 * {@link ThinPathMicroIT}, in the H2 execution.
 */
@ExtendWith(RequiredPeers.class)
@EnabledIfSystemProperty(named = "it.execution", matches = "micro-postgres", disabledReason = "the H2 execution "
        + "runs these tests on Arquillian's Micro (ThinPathMicroIT)")
class ThinPathSharedMicroIT extends MicroThinPath {

    @Override
    Http api() {
        return SharedMicro.api();
    }
}
