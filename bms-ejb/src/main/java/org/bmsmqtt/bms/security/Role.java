package org.bmsmqtt.bms.security;

import java.util.Set;

/**
 * The roles of the admin API. They are also the group names the identity store hands to the container; the
 * deployment descriptors map each group to the role of the same name (see bms-web's payara-web.xml and the EAR's
 * glassfish-application.xml).
 */
public final class Role {

    /** Everything, including user management. */
    public static final String ADMIN = "bms-admin";
    /** Read only: GET and HEAD. */
    public static final String VIEWER = "bms-viewer";
    public static final Set<String> ALL = Set.of(ADMIN, VIEWER);

    private Role() {
    }
}
