-- The integrated MQTT broker (package integrated): its settings (one row, id 1) and its users.
CREATE TABLE integrated_broker (
    id                     BIGINT       NOT NULL PRIMARY KEY,
    start_at_boot          BOOLEAN      NOT NULL,
    authentication         BOOLEAN      NOT NULL,
    bind_address           VARCHAR(255) NOT NULL,
    port                   INTEGER      NOT NULL,
    tls_port               INTEGER      NOT NULL,
    tls_keystore_file      VARCHAR(255) NOT NULL,
    tls_keystore_password_enc VARCHAR(1000),
    version                BIGINT       NOT NULL DEFAULT 0
);

-- Who may connect to it: PBKDF2 hashes (security.PasswordHash), never the password. A disabled user keeps its row.
-- Topic permissions: MQTT filters, one per line.
CREATE TABLE broker_user (
    id            BIGINT        NOT NULL PRIMARY KEY,
    name          VARCHAR(200)  NOT NULL,
    username      VARCHAR(100)  NOT NULL UNIQUE,
    password_hash VARCHAR(300)  NOT NULL,
    enabled       BOOLEAN       NOT NULL,
    publish       VARCHAR(20000) NOT NULL,
    subscribe     VARCHAR(20000) NOT NULL,
    version       BIGINT        NOT NULL DEFAULT 0
);
CREATE SEQUENCE broker_user_seq START WITH 50 INCREMENT BY 50;

-- The internal connection: a broker definition that reaches the integrated broker as one of its users.
ALTER TABLE broker ADD COLUMN internal_user VARCHAR(100);
