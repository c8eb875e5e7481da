package org.bmsmqtt.bms.cluster;

import com.hazelcast.core.HazelcastInstance;

import javax.naming.InitialContext;
import javax.naming.NamingException;

/**
 * Payara's own data grid (Hazelcast): the one Payara Micro clusters with ({@code --clustermode tcpip:...}) and a
 * Payara Server deployment group uses. Never a second one of our own.
 */
final class DataGrid {

    static final String JNDI = "payara/Hazelcast";

    private DataGrid() {
    }

    /** Payara's instance; NamingException when Payara's clustering is off (Micro {@code --nocluster}). */
    static HazelcastInstance instance() throws NamingException {
        Object grid = new InitialContext().lookup(JNDI);
        if (!(grid instanceof HazelcastInstance h)) {
            throw new NamingException(JNDI + " is not a Hazelcast instance: " + grid);
        }
        return h;
    }
}
