-- KNX (issue 6): connections to KNXnet/IP interfaces or routers, and datapoints bound to group addresses.
-- V4 and V5 belong to other features; Flyway applies them in version order whenever they land.
CREATE TABLE knx_connection (
    id                 BIGINT        NOT NULL PRIMARY KEY,
    name               VARCHAR(200)  NOT NULL UNIQUE,
    connection_type    VARCHAR(20)   NOT NULL,
    host               VARCHAR(255)  NOT NULL,
    port               INTEGER       NOT NULL,
    local_address      VARCHAR(255)  NOT NULL,
    nat                BOOLEAN       NOT NULL,
    reconnect_interval INTEGER       NOT NULL,
    anti_echo_millis   BIGINT        NOT NULL,
    enabled            BOOLEAN       NOT NULL,
    version            BIGINT        NOT NULL DEFAULT 0
);
-- START WITH the increment: EclipseLink reads a value as the end of its block of 50 (see V2).
CREATE SEQUENCE knx_connection_seq START WITH 50 INCREMENT BY 50;

CREATE TABLE knx_binding (
    id               BIGINT        NOT NULL PRIMARY KEY,
    datapoint_id     BIGINT        NOT NULL REFERENCES datapoint (id) ON DELETE CASCADE,
    connection_id    BIGINT        NOT NULL REFERENCES knx_connection (id) ON DELETE CASCADE,
    write_address    VARCHAR(20)   NOT NULL,
    listen_addresses VARCHAR(2000) NOT NULL,
    dpt              VARCHAR(20)   NOT NULL,
    read_at_start    BOOLEAN       NOT NULL,
    version          BIGINT        NOT NULL DEFAULT 0
);
CREATE SEQUENCE knx_binding_seq START WITH 50 INCREMENT BY 50;
CREATE INDEX knx_binding_datapoint ON knx_binding (datapoint_id);
CREATE INDEX knx_binding_connection ON knx_binding (connection_id);
