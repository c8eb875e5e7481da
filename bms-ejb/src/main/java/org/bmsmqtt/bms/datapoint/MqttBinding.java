package org.bmsmqtt.bms.datapoint;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.FetchType;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.JoinColumn;
import jakarta.persistence.ManyToOne;
import jakarta.persistence.SequenceGenerator;
import jakarta.persistence.Table;
import jakarta.persistence.Version;
import org.bmsmqtt.bms.broker.Broker;

/** A datapoint bound to a broker: a command topic and/or a report topic. */
@Entity
@Table(name = "mqtt_binding")
public class MqttBinding {

    @Id
    @SequenceGenerator(name = "mqtt_binding_seq", sequenceName = "mqtt_binding_seq", allocationSize = 50)
    @GeneratedValue(strategy = GenerationType.SEQUENCE, generator = "mqtt_binding_seq")
    private Long id;
    @ManyToOne(fetch = FetchType.LAZY, optional = false)
    @JoinColumn(name = "datapoint_id")
    private Datapoint datapoint;
    @ManyToOne(fetch = FetchType.LAZY, optional = false)
    @JoinColumn(name = "broker_id")
    private Broker broker;
    @Column(name = "command_topic")
    private String commandTopic;
    @Column(name = "report_topic")
    private String reportTopic;
    private int qos;
    private boolean retained;
    @Enumerated(EnumType.STRING)
    @Column(name = "payload_format")
    private PayloadFormat payloadFormat;
    @Column(name = "json_pointer")
    private String jsonPointer;
    @Version
    private long version;

    protected MqttBinding() {
    }

    public MqttBinding(Datapoint datapoint, Broker broker, BindingSettings s) {
        this.datapoint = datapoint;
        this.broker = broker;
        apply(s);
    }

    public final void apply(BindingSettings s) {
        commandTopic = s.commandTopic();
        reportTopic = s.reportTopic();
        qos = s.qos();
        retained = s.retained();
        payloadFormat = s.payloadFormat();
        jsonPointer = s.jsonPointer();
    }

    public BindingSettings settings() {
        return new BindingSettings(broker.getId(), commandTopic, reportTopic, qos, retained, payloadFormat, jsonPointer);
    }

    public Long getId() { return id; }
    public Datapoint getDatapoint() { return datapoint; }
    public Broker getBroker() { return broker; }
    public long getVersion() { return version; }
}
