package org.bmsmqtt.bms.monitoring;

import org.bmsmqtt.ra.api.SessionStatus;

import java.util.function.Supplier;

/** The MBean of one broker session: every attribute reads the session's status now. */
final class BrokerSessionView implements BrokerSessionMXBean {

    private final long brokerId;
    private final String name;
    private final Supplier<SessionStatus> status;

    BrokerSessionView(long brokerId, String name, Supplier<SessionStatus> status) {
        this.brokerId = brokerId;
        this.name = name;
        this.status = status;
    }

    @Override
    public long getBrokerId() {
        return brokerId;
    }

    @Override
    public String getBroker() {
        return name; // the session itself is named by the broker's id
    }

    @Override
    public String getState() {
        return status.get().state().name();
    }

    @Override
    public String getReason() {
        return text(status.get().reason());
    }

    @Override
    public String getSince() {
        return text(status.get().since());
    }

    @Override
    public String getLastError() {
        return text(status.get().lastError());
    }

    @Override
    public String getLastErrorAt() {
        return text(status.get().lastErrorAt());
    }

    @Override
    public long getReceived() {
        return status.get().received();
    }

    @Override
    public long getPublished() {
        return status.get().published();
    }

    @Override
    public long getBuffered() {
        return status.get().buffered();
    }

    @Override
    public long getRefused() {
        return status.get().refused();
    }

    @Override
    public long getExpired() {
        return status.get().expired();
    }

    @Override
    public long getUndeliverable() {
        return status.get().undeliverable();
    }

    @Override
    public long getDropped() {
        return status.get().dropped();
    }

    @Override
    public long getReconnects() {
        return status.get().reconnects();
    }

    private static String text(Object o) {
        return o == null ? "" : o.toString();
    }
}
