-- Issue 16: main / backup. One row per lease; the member holding 'main' (until expires_millis, the database's clock)
-- holds the broker sessions, KNX connections and the BACnet network. token grows with every takeover (fencing).
CREATE TABLE cluster_lease (
    name VARCHAR(50) PRIMARY KEY,
    holder VARCHAR(200) DEFAULT '' NOT NULL,
    token BIGINT DEFAULT 0 NOT NULL,
    acquired_millis BIGINT DEFAULT 0 NOT NULL,
    expires_millis BIGINT DEFAULT 0 NOT NULL
);
INSERT INTO cluster_lease (name) VALUES ('main');
