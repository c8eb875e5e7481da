-- Datapoints and their current value (thin path of the foundation issue).
CREATE TABLE datapoint (
    id             BIGINT        NOT NULL PRIMARY KEY,
    name           VARCHAR(200)  NOT NULL UNIQUE,
    data_type      VARCHAR(16)   NOT NULL,
    value_text     VARCHAR(4096),
    value_time     TIMESTAMP WITH TIME ZONE,
    value_source   VARCHAR(200),
    rejected_count BIGINT        NOT NULL DEFAULT 0,
    last_error     VARCHAR(1000),
    version        BIGINT        NOT NULL DEFAULT 0
);

CREATE SEQUENCE datapoint_seq START WITH 1 INCREMENT BY 50;
