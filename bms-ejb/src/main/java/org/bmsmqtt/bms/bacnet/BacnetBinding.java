package org.bmsmqtt.bms.bacnet;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.FetchType;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.JoinColumn;
import jakarta.persistence.ManyToOne;
import jakarta.persistence.SequenceGenerator;
import jakarta.persistence.Table;
import jakarta.persistence.Version;
import org.bmsmqtt.bms.datapoint.Datapoint;

/**
 * A datapoint bound to a property of an object on a remote BACnet device. Types and property are stored by their
 * standard names ({@code analog-value}, {@code present-value}) so that the table reads without this code.
 */
@Entity
@Table(name = "bacnet_binding")
public class BacnetBinding {

    @Id
    @SequenceGenerator(name = "bacnet_binding_seq", sequenceName = "bacnet_binding_seq", allocationSize = 50)
    @GeneratedValue(strategy = GenerationType.SEQUENCE, generator = "bacnet_binding_seq")
    private Long id;
    @ManyToOne(fetch = FetchType.LAZY, optional = false)
    @JoinColumn(name = "datapoint_id")
    private Datapoint datapoint;
    @Column(name = "device_instance")
    private int deviceInstance;
    @Column(name = "object_type")
    private String objectType;
    @Column(name = "object_instance")
    private int objectInstance;
    @Column(name = "property_name")
    private String property;
    @Column(name = "write_priority")
    private Integer writePriority;
    private boolean cov;
    @Column(name = "cov_confirmed")
    private boolean covConfirmed;
    @Column(name = "cov_increment")
    private Double covIncrement;
    @Column(name = "poll_seconds")
    private int pollSeconds;
    @Version
    private long version;

    protected BacnetBinding() {
    }

    public BacnetBinding(Datapoint datapoint, BacnetBindingSettings s) {
        this.datapoint = datapoint;
        apply(s);
    }

    public final void apply(BacnetBindingSettings s) {
        deviceInstance = s.deviceInstance();
        objectType = s.objectType().text();
        objectInstance = s.objectInstance();
        property = BacnetBindingSettings.propertyText(s.property());
        writePriority = s.writePriority();
        cov = s.cov();
        covConfirmed = s.covConfirmed();
        covIncrement = s.covIncrement();
        pollSeconds = s.pollSeconds();
    }

    public BacnetBindingSettings settings() {
        return new BacnetBindingSettings(deviceInstance, BacnetObjectType.parse(objectType, "objectType"),
                objectInstance, BacnetBindingSettings.parseProperty(property, "property"), writePriority, cov,
                covConfirmed, covIncrement, pollSeconds);
    }

    public Long getId() { return id; }
    public Datapoint getDatapoint() { return datapoint; }
    public long getVersion() { return version; }
}
