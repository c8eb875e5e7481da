-- Brokers, MQTT bindings and value history: brokers and datapoints configured at run time.
CREATE TABLE broker (
    id                        BIGINT        NOT NULL PRIMARY KEY,
    name                      VARCHAR(200)  NOT NULL UNIQUE,
    path                      VARCHAR(400)  NOT NULL,
    host                      VARCHAR(255)  NOT NULL,
    port                      INTEGER       NOT NULL,
    client_id                 VARCHAR(200)  NOT NULL,
    username                  VARCHAR(200)  NOT NULL,
    password_enc              VARCHAR(1000) NOT NULL,
    reconnect_interval        INTEGER       NOT NULL,
    keep_alive                INTEGER       NOT NULL,
    tls_enabled               BOOLEAN       NOT NULL,
    tls_versions              VARCHAR(100)  NOT NULL,
    tls_ca_file               VARCHAR(255)  NOT NULL,
    tls_client_cert_file      VARCHAR(255)  NOT NULL,
    tls_client_key_file       VARCHAR(255)  NOT NULL,
    tls_key_password_enc      VARCHAR(1000) NOT NULL,
    tls_hostname_verification BOOLEAN       NOT NULL,
    anti_echo_millis          BIGINT        NOT NULL,
    enabled                   BOOLEAN       NOT NULL,
    version                   BIGINT        NOT NULL DEFAULT 0
);
-- START WITH the increment: EclipseLink may read a value as the end of its block of 50.
CREATE SEQUENCE broker_seq START WITH 50 INCREMENT BY 50;

ALTER TABLE datapoint ADD COLUMN path VARCHAR(400);
UPDATE datapoint SET path = name;
ALTER TABLE datapoint ALTER COLUMN path SET NOT NULL;
CREATE UNIQUE INDEX datapoint_path ON datapoint (path);
ALTER TABLE datapoint ADD COLUMN access_mode VARCHAR(16) DEFAULT 'READ_WRITE' NOT NULL;
ALTER TABLE datapoint ADD COLUMN persistent BOOLEAN DEFAULT TRUE NOT NULL;
ALTER TABLE datapoint ADD COLUMN historical BOOLEAN DEFAULT FALSE NOT NULL;
ALTER TABLE datapoint ADD COLUMN backup_sync BOOLEAN DEFAULT FALSE NOT NULL;
ALTER TABLE datapoint ADD COLUMN unit VARCHAR(50) DEFAULT '' NOT NULL;
ALTER TABLE datapoint ADD COLUMN description VARCHAR(1000) DEFAULT '' NOT NULL;

CREATE TABLE mqtt_binding (
    id             BIGINT        NOT NULL PRIMARY KEY,
    datapoint_id   BIGINT        NOT NULL REFERENCES datapoint (id) ON DELETE CASCADE,
    broker_id      BIGINT        NOT NULL REFERENCES broker (id) ON DELETE CASCADE,
    command_topic  VARCHAR(1000) NOT NULL,
    report_topic   VARCHAR(1000) NOT NULL,
    qos            INTEGER       NOT NULL,
    retained       BOOLEAN       NOT NULL,
    payload_format VARCHAR(16)   NOT NULL,
    json_pointer   VARCHAR(500)  NOT NULL,
    version        BIGINT        NOT NULL DEFAULT 0
);
CREATE SEQUENCE mqtt_binding_seq START WITH 50 INCREMENT BY 50;
CREATE INDEX mqtt_binding_broker ON mqtt_binding (broker_id);
CREATE INDEX mqtt_binding_datapoint ON mqtt_binding (datapoint_id);

-- Every value of a historical datapoint; written in batches by history.HistoryWriter.
CREATE TABLE value_history (
    datapoint_id BIGINT                   NOT NULL,
    ts           TIMESTAMP WITH TIME ZONE NOT NULL,
    value_text   VARCHAR(4096)            NOT NULL,
    source       VARCHAR(200)             NOT NULL
);
CREATE INDEX value_history_dp_ts ON value_history (datapoint_id, ts);

-- V1 started datapoint_seq at 1, which EclipseLink reads as the end of a block of 50 (ids -48..1): move it on.
ALTER SEQUENCE datapoint_seq RESTART WITH 1000;
