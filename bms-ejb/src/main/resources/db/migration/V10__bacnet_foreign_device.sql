-- BACnet/IP foreign-device registration: the BBMD the server registers with (empty: none) and the registration's TTL.
ALTER TABLE bacnet_network ADD COLUMN bbmd_address VARCHAR(15) DEFAULT '' NOT NULL;
ALTER TABLE bacnet_network ADD COLUMN bbmd_port INTEGER DEFAULT 47808 NOT NULL;
ALTER TABLE bacnet_network ADD COLUMN foreign_ttl_seconds INTEGER DEFAULT 300 NOT NULL;
