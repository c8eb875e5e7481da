package org.bmsmqtt.bms.monitoring;

import org.eclipse.microprofile.health.HealthCheck;

import java.lang.annotation.Annotation;
import java.lang.reflect.Method;
import java.util.Optional;
import java.util.logging.Logger;

/**
 * Adds and removes readiness checks while the application runs. MicroProfile Health 4 has no API for that (checks are
 * the CDI beans found at deployment; microprofile-health issue #247), but Payara's health service keeps its checks in
 * a registry keyed by name, where Payara itself adds its own checkers at run time. This class reaches that registry
 * by reflection, so nothing of Payara is needed to compile or to run elsewhere: where it is missing, {@link #find()}
 * is empty and only the deployed checks (among them {@link BrokersCheck}) report.
 */
final class PayaraHealthChecks {

    private static final Logger LOG = Logger.getLogger(PayaraHealthChecks.class.getName());
    private static final String SERVICE = "fish.payara.microprofile.healthcheck.HealthCheckService";
    private static final String TYPE = "fish.payara.microprofile.healthcheck.HealthCheckType";

    private final Object service;
    private final Method register;
    private final Method unregister;
    private final Object readiness;

    private PayaraHealthChecks(Object service, Method register, Method unregister, Object readiness) {
        this.service = service;
        this.register = register;
        this.unregister = unregister;
        this.readiness = readiness;
    }

    /** Payara's health registry, if this server has one and lets the application see it. */
    static Optional<PayaraHealthChecks> find() {
        try {
            ClassLoader loader = PayaraHealthChecks.class.getClassLoader();
            Class<?> globals = Class.forName("org.glassfish.internal.api.Globals", true, loader);
            Class<?> locatorType = Class.forName("org.glassfish.hk2.api.ServiceLocator", true, loader);
            Object locator = globals.getMethod("getDefaultBaseServiceLocator").invoke(null);
            Class<?> serviceType = Class.forName(SERVICE, true, loader);
            Object service = locatorType.getMethod("getService", Class.class, Annotation[].class)
                    .invoke(locator, serviceType, new Annotation[0]);
            if (service == null) {
                return Optional.empty();
            }
            Class<?> type = Class.forName(TYPE, true, loader);
            Object readiness = type.getMethod("valueOf", String.class).invoke(null, "READINESS");
            return Optional.of(new PayaraHealthChecks(service,
                    serviceType.getMethod("registerHealthCheck", String.class, HealthCheck.class, type),
                    serviceType.getMethod("unregisterHealthCheck", String.class), readiness));
        } catch (ReflectiveOperationException | LinkageError | RuntimeException e) {
            LOG.info("BMS0802 no per-broker readiness checks on this server (" + e
                    + "); the check 'brokers' covers them all");
            return Optional.empty();
        }
    }

    /** Adds {@code check} under {@code key}, a name no application uses (the registry is keyed by application). */
    void add(String key, HealthCheck check) {
        try {
            register.invoke(service, key, check, readiness);
        } catch (ReflectiveOperationException | RuntimeException e) {
            LOG.warning("BMS0803 readiness check " + key + " not added: " + e);
        }
    }

    void remove(String key) {
        try {
            unregister.invoke(service, key);
        } catch (ReflectiveOperationException | RuntimeException e) {
            LOG.warning("BMS0804 readiness check " + key + " not removed: " + e);
        }
    }
}
