package org.bmsmqtt.bms.cluster;

import javax.management.InstanceAlreadyExistsException;
import javax.management.InstanceNotFoundException;
import javax.management.JMException;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import java.time.Instant;
import java.util.function.Supplier;
import java.util.logging.Logger;

/** {@link ClusterMXBean} over a {@link ClusterRole}: registered while the application runs. */
final class ClusterJmx implements ClusterMXBean {

    static final String NAME = "org.bmsmqtt.bms:type=Cluster";
    private static final Logger LOG = Logger.getLogger(ClusterJmx.class.getName());

    private final Supplier<ClusterRole.Status> status;
    private final Supplier<Long> takeovers;

    ClusterJmx(Supplier<ClusterRole.Status> status, Supplier<Long> takeovers) {
        this.status = status;
        this.takeovers = takeovers;
    }

    /** Registers (replacing what an earlier deployment left); a failure is logged, never thrown. */
    void register(MBeanServer server) {
        try {
            ObjectName name = new ObjectName(NAME);
            try {
                server.registerMBean(this, name);
            } catch (InstanceAlreadyExistsException e) {
                server.unregisterMBean(name);
                server.registerMBean(this, name);
            }
        } catch (JMException | RuntimeException e) {
            LOG.warning("BMS1412 cluster MBean " + NAME + " not registered: " + e);
        }
    }

    void unregister(MBeanServer server) {
        try {
            server.unregisterMBean(new ObjectName(NAME));
        } catch (InstanceNotFoundException e) {
            // not there
        } catch (JMException | RuntimeException e) {
            LOG.fine(() -> "cluster MBean not unregistered: " + e);
        }
    }

    private static String text(Instant at) {
        return at == null ? "" : at.toString();
    }

    @Override
    public boolean isEnabled() {
        return status.get().enabled();
    }

    @Override
    public String getMember() {
        return status.get().member();
    }

    @Override
    public String getRole() {
        return status.get().role();
    }

    @Override
    public String getSince() {
        return text(status.get().since());
    }

    @Override
    public String getMain() {
        return status.get().main();
    }

    @Override
    public long getToken() {
        return status.get().token();
    }

    @Override
    public long getTakeovers() {
        return takeovers.get();
    }

    @Override
    public String getLastFailover() {
        return text(status.get().lastFailover());
    }

    @Override
    public String getLastFailoverReason() {
        return status.get().lastFailoverReason();
    }
}
