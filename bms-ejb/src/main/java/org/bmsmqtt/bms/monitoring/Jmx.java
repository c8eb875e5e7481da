package org.bmsmqtt.bms.monitoring;

import javax.management.JMException;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import java.lang.management.ManagementFactory;
import java.util.logging.Logger;

/** The platform MBean server, under the domain {@code org.bmsmqtt}; failures are logged, never thrown. */
final class Jmx {

    static final String DOMAIN = "org.bmsmqtt";
    private static final Logger LOG = Logger.getLogger(Jmx.class.getName());

    private Jmx() {
    }

    /** {@code org.bmsmqtt:type=<type>,name=<name>}; a name with characters ObjectName reserves is quoted. */
    static ObjectName name(String type, String name) {
        try {
            String value = name.matches("[^,=:*?\"\\\\\\n]*") ? name : ObjectName.quote(name);
            return new ObjectName(DOMAIN + ":type=" + type + ",name=" + value);
        } catch (JMException e) {
            throw new IllegalArgumentException("no MBean name for " + type + " " + name + ": " + e.getMessage(), e);
        }
    }

    /** Registers {@code bean}, replacing one a previous deployment may have left behind under the same name. */
    static void register(ObjectName name, Object bean) {
        MBeanServer server = ManagementFactory.getPlatformMBeanServer();
        try {
            if (server.isRegistered(name)) {
                server.unregisterMBean(name);
            }
            server.registerMBean(bean, name);
        } catch (JMException | RuntimeException e) {
            LOG.warning("BMS0800 MBean " + name + " not registered: " + e);
        }
    }

    static void unregister(ObjectName name) {
        MBeanServer server = ManagementFactory.getPlatformMBeanServer();
        try {
            if (server.isRegistered(name)) {
                server.unregisterMBean(name);
            }
        } catch (JMException | RuntimeException e) {
            LOG.warning("BMS0801 MBean " + name + " not unregistered: " + e);
        }
    }
}
