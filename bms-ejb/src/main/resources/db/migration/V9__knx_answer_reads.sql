-- KNX (issue 6): a binding may answer group read requests from the bus with its datapoint's value (off by default).
-- V8 belongs to another feature; Flyway applies versions in order whenever they land.
ALTER TABLE knx_binding ADD COLUMN answer_reads BOOLEAN DEFAULT FALSE NOT NULL;
