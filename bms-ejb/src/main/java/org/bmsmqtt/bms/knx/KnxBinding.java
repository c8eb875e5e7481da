package org.bmsmqtt.bms.knx;

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

/** A datapoint bound to group addresses on a KNX connection (see {@link KnxBindingSettings}). */
@Entity
@Table(name = "knx_binding")
public class KnxBinding {

    @Id
    @SequenceGenerator(name = "knx_binding_seq", sequenceName = "knx_binding_seq", allocationSize = 50)
    @GeneratedValue(strategy = GenerationType.SEQUENCE, generator = "knx_binding_seq")
    private Long id;
    @ManyToOne(fetch = FetchType.LAZY, optional = false)
    @JoinColumn(name = "datapoint_id")
    private Datapoint datapoint;
    @ManyToOne(fetch = FetchType.LAZY, optional = false)
    @JoinColumn(name = "connection_id")
    private KnxConnection connection;
    @Column(name = "write_address")
    private String writeAddress;
    @Column(name = "listen_addresses")
    private String listenAddresses;
    private String dpt;
    @Column(name = "read_at_start")
    private boolean readAtStart;
    @Column(name = "answer_reads")
    private boolean answerReads;
    @Version
    private long version;

    protected KnxBinding() {
    }

    public KnxBinding(Datapoint datapoint, KnxConnection connection, KnxBindingSettings s) {
        this.datapoint = datapoint;
        apply(connection, s);
    }

    public final void apply(KnxConnection c, KnxBindingSettings s) {
        connection = c;
        writeAddress = s.writeAddress();
        listenAddresses = s.listenColumn();
        dpt = s.dpt();
        readAtStart = s.readAtStart();
        answerReads = s.answerReads();
    }

    public KnxBindingSettings settings() {
        return new KnxBindingSettings(connection.getId(), writeAddress, KnxBindingSettings.fromColumn(listenAddresses),
                dpt, readAtStart, answerReads);
    }

    public Long getId() { return id; }
    public Datapoint getDatapoint() { return datapoint; }
    public KnxConnection getConnection() { return connection; }
}
