-- Issue 14: a command accepted from a broker is confirmed on the binding's report topic on that broker too (the
-- state-topic convention of Home Assistant, openHAB and MQTT devices). False keeps the earlier behaviour for a broker:
-- a value that came from it is not sent back to it within its anti-echo window.
ALTER TABLE broker ADD COLUMN confirm_commands BOOLEAN DEFAULT TRUE NOT NULL;
-- The anti-echo window now says how long a report waits for its echo through a loop without our origin mark; the old
-- default of 10 s would swallow a user's repeated commands and every other reading of a 1 Hz sensor. Brokers still on
-- that default get the new one (500 ms); other values are the integrator's and stay.
UPDATE broker SET anti_echo_millis = 500 WHERE anti_echo_millis = 10000;
