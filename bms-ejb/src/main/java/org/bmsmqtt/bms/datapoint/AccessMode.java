package org.bmsmqtt.bms.datapoint;

/** Which way values may go: READ datapoints are reported but take no commands; WRITE ones take commands only. */
public enum AccessMode {
    READ, WRITE, READ_WRITE;

    public boolean takesCommands() {
        return this != READ;
    }

    public boolean reports() {
        return this != WRITE;
    }
}
