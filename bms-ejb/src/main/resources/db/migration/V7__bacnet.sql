-- BACnet/IP (package bacnet): the local device on one network, and datapoints bound to remote object properties.
-- One network row (id 1): BACnet/IP serves one UDP port per local device.
CREATE TABLE bacnet_network (
    id                BIGINT       NOT NULL PRIMARY KEY,
    device_instance   INTEGER      NOT NULL,
    device_name       VARCHAR(150) NOT NULL,
    port              INTEGER      NOT NULL,
    bind_address      VARCHAR(15)  NOT NULL,
    broadcast_address VARCHAR(15)  NOT NULL,
    enabled           BOOLEAN      NOT NULL,
    version           BIGINT       NOT NULL DEFAULT 0
);

-- At most one BACnet binding per datapoint: the datapoint mirrors one property. Rows go with their datapoint.
CREATE TABLE bacnet_binding (
    id              BIGINT           NOT NULL PRIMARY KEY,
    datapoint_id    BIGINT           NOT NULL REFERENCES datapoint (id) ON DELETE CASCADE,
    device_instance INTEGER          NOT NULL,
    object_type     VARCHAR(32)      NOT NULL,
    object_instance INTEGER          NOT NULL,
    property_name   VARCHAR(64)      NOT NULL,
    write_priority  INTEGER,
    cov             BOOLEAN          NOT NULL,
    cov_confirmed   BOOLEAN          NOT NULL,
    cov_increment   DOUBLE PRECISION,
    poll_seconds    INTEGER          NOT NULL,
    version         BIGINT           NOT NULL DEFAULT 0
);
-- START WITH the increment: EclipseLink may read a value as the end of its block of 50.
CREATE SEQUENCE bacnet_binding_seq START WITH 50 INCREMENT BY 50;
CREATE UNIQUE INDEX bacnet_binding_datapoint ON bacnet_binding (datapoint_id);
CREATE INDEX bacnet_binding_device ON bacnet_binding (device_instance);
