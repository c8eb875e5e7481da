package org.bmsmqtt.web;

import jakarta.ws.rs.ApplicationPath;
import jakarta.ws.rs.core.Application;

/** The admin API, versioned: {@code /bms/api/v1}. */
@ApplicationPath("/api/v1")
public class AdminApi extends Application {
}
