package org.bmsmqtt.bms.bacnet;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import jakarta.persistence.Version;

/** The stored BACnet/IP network: one row, id {@link #ID}. The live side is {@link BacnetNetwork}. */
@Entity
@Table(name = "bacnet_network")
public class BacnetNetworkConfig {

    public static final long ID = 1;

    @Id
    private Long id;
    @Column(name = "device_instance")
    private int deviceInstance;
    @Column(name = "device_name")
    private String deviceName;
    private int port;
    @Column(name = "bind_address")
    private String bindAddress;
    @Column(name = "broadcast_address")
    private String broadcastAddress;
    private boolean enabled;
    @Column(name = "bbmd_address")
    private String bbmdAddress;
    @Column(name = "bbmd_port")
    private int bbmdPort;
    @Column(name = "foreign_ttl_seconds")
    private int foreignTtlSeconds;
    @Version
    private long version;

    protected BacnetNetworkConfig() {
    }

    public BacnetNetworkConfig(BacnetNetworkSettings s) {
        this.id = ID;
        apply(s);
    }

    public final void apply(BacnetNetworkSettings s) {
        deviceInstance = s.deviceInstance();
        deviceName = s.deviceName();
        port = s.port();
        bindAddress = s.bindAddress();
        broadcastAddress = s.broadcastAddress();
        enabled = s.enabled();
        bbmdAddress = s.bbmdAddress();
        bbmdPort = s.bbmdPort();
        foreignTtlSeconds = s.foreignTtlSeconds();
    }

    public BacnetNetworkSettings settings() {
        return new BacnetNetworkSettings(deviceInstance, deviceName, port, bindAddress, broadcastAddress, enabled,
                bbmdAddress, bbmdPort, foreignTtlSeconds);
    }

    public Long getId() { return id; }
    public long getVersion() { return version; }
}
