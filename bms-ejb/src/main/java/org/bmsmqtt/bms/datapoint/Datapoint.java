package org.bmsmqtt.bms.datapoint;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.NamedQuery;
import jakarta.persistence.SequenceGenerator;
import jakarta.persistence.Table;
import jakarta.persistence.Version;

import java.time.Instant;

/**
 * A datapoint: its configuration and, for persistent datapoints, its last value (canonical text, see
 * {@link ValueCodec}), written behind by the history writer and restored at start-up.
 */
@Entity
@Table(name = "datapoint")
@NamedQuery(name = "Datapoint.byName", query = "select d from Datapoint d where d.name = :name")
@NamedQuery(name = "Datapoint.all", query = "select d from Datapoint d order by d.path")
public class Datapoint {

    @Id
    // Sequences, not identity columns: EclipseLink 4.0 asks H2 2.x for IDENTITY(), which no longer exists.
    @SequenceGenerator(name = "datapoint_seq", sequenceName = "datapoint_seq", allocationSize = 50)
    @GeneratedValue(strategy = GenerationType.SEQUENCE, generator = "datapoint_seq")
    private Long id;

    @Column(nullable = false, unique = true, length = 200)
    private String name;

    @Enumerated(EnumType.STRING)
    @Column(name = "data_type", nullable = false, length = 16)
    private DataType dataType;

    @Column(name = "value_text", length = ValueCodec.MAX_STRING_LENGTH)
    private String value;

    @Column(name = "value_time")
    private Instant valueTime;

    @Column(name = "value_source", length = 200)
    private String valueSource;

    @Column(nullable = false, unique = true, length = 400)
    private String path;

    @Enumerated(EnumType.STRING)
    @Column(name = "access_mode", nullable = false, length = 16)
    private AccessMode accessMode = AccessMode.READ_WRITE;

    private boolean persistent = true;
    private boolean historical;
    @Column(name = "backup_sync")
    private boolean backupSync;
    private String unit = "";
    private String description = "";
    /** One per line (see {@link DatapointSettings#optionsColumn}). */
    @Column(nullable = false, length = 4000)
    private String options = "";

    @Column(name = "rejected_count", nullable = false)
    private long rejectedCount;

    @Column(name = "last_error", length = 1000)
    private String lastError;

    @Version
    private long version;

    protected Datapoint() {
    }

    public Datapoint(DatapointSettings s) {
        apply(s);
    }

    public final void apply(DatapointSettings s) {
        name = s.name();
        path = s.path();
        dataType = s.dataType();
        accessMode = s.accessMode();
        persistent = s.persistent();
        historical = s.historical();
        backupSync = s.backupSync();
        unit = s.unit();
        description = s.description();
        options = DatapointSettings.optionsColumn(s.options());
    }

    public DatapointSettings settings() {
        return new DatapointSettings(name, path, dataType, accessMode, persistent, historical, backupSync, unit,
                description, DatapointSettings.optionsFromColumn(options));
    }

    public void accept(String canonicalValue, Instant time, String source) {
        this.value = canonicalValue;
        this.valueTime = time;
        this.valueSource = source;
    }

    public void reject(String reason) {
        this.rejectedCount++;
        this.lastError = reason.length() > 1000 ? reason.substring(0, 1000) : reason;
    }

    public Long getId() { return id; }
    public String getPath() { return path; }
    public AccessMode getAccessMode() { return accessMode; }
    public boolean isPersistent() { return persistent; }
    public boolean isHistorical() { return historical; }
    public long getVersion() { return version; }
    public String getName() { return name; }
    public DataType getDataType() { return dataType; }
    public String getValue() { return value; }
    public Instant getValueTime() { return valueTime; }
    public String getValueSource() { return valueSource; }
    public long getRejectedCount() { return rejectedCount; }
    public String getLastError() { return lastError; }
    public String getUnit() { return unit == null ? "" : unit; }
}
