-- Issue 17: a STRING datapoint may have a list of options (its only valid values; Home Assistant shows it as a
-- select). One option per line; empty: any value.
ALTER TABLE datapoint ADD COLUMN options VARCHAR(4000) DEFAULT '' NOT NULL;
