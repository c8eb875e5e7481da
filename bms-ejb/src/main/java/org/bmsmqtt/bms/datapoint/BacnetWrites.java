package org.bmsmqtt.bms.datapoint;

/**
 * How the engine hands datapoint commands to BACnet bindings (implemented by {@code bacnet.BacnetNetwork}). Lives
 * here so that the engine does not depend on the BACnet package. Implementations never block: they queue the write.
 */
public interface BacnetWrites {

    /** A command the datapoint accepted (canonical text of {@code type}): write it if the datapoint is bound. */
    void command(long datapointId, DataType type, String value);

    /**
     * An empty command: relinquish the binding's priority. Returns false when the datapoint has no BACnet binding;
     * the engine then treats the empty command as it always did.
     */
    boolean relinquish(long datapointId);
}
