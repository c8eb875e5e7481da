package org.bmsmqtt.it.support;

import org.bmsmqtt.ra.testing.Mosquitto;
import org.bmsmqtt.ra.testing.Peers;

import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Decides before a test class starts (so before Arquillian deploys anything) whether its peers are here:
 * mosquitto always, PostgreSQL when the run uses it. Missing: the class is skipped with the reason, or fails on CI.
 */
public class RequiredPeers implements ExecutionCondition {

    @Override
    public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
        String missing = null;
        if (!Peers.mosquittoInstalled()) {
            missing = "mosquitto is not installed (apt-get install mosquitto)";
        } else if ("postgres".equals(System.getProperty("it.database")) && !Peers.postgresAnswers()) {
            missing = "PostgreSQL does not answer on 127.0.0.1:5432";
        }
        if (missing == null) {
            return ConditionEvaluationResult.enabled("peers present");
        }
        if (Peers.ci()) {
            throw new AssertionError("CI=true and a peer is missing: " + missing);
        }
        System.out.println("SKIPPED (peer missing): " + missing);
        return ConditionEvaluationResult.disabled(missing);
    }
}
