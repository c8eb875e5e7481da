package org.bmsmqtt.bms.knx;

/** How a KNX connection reaches the bus. */
public enum KnxConnectionType {
    /** KNXnet/IP tunnelling over UDP to an interface (the usual case). */
    TUNNELING_UDP,
    /** KNXnet/IP tunnelling over TCP (KNXnet/IP 2, e.g. secure-capable interfaces). */
    TUNNELING_TCP,
    /** KNXnet/IP routing: multicast to a router (host = the multicast group, 224.0.23.12 by default). */
    ROUTING
}
