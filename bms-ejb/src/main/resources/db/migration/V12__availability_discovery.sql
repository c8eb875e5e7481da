-- Issue 17: availability (birth and last will) and Home Assistant MQTT discovery per broker. Availability is on for
-- every broker, existing ones too (an empty topic means <broker path>/status); discovery is opt-in.
ALTER TABLE broker ADD COLUMN availability_enabled BOOLEAN DEFAULT TRUE NOT NULL;
ALTER TABLE broker ADD COLUMN availability_topic VARCHAR(400) DEFAULT '' NOT NULL;
ALTER TABLE broker ADD COLUMN payload_online VARCHAR(100) DEFAULT 'online' NOT NULL;
ALTER TABLE broker ADD COLUMN payload_offline VARCHAR(100) DEFAULT 'offline' NOT NULL;
ALTER TABLE broker ADD COLUMN discovery_enabled BOOLEAN DEFAULT FALSE NOT NULL;
ALTER TABLE broker ADD COLUMN discovery_prefix VARCHAR(400) DEFAULT 'homeassistant' NOT NULL;
