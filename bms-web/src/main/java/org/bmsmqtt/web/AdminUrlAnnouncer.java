package org.bmsmqtt.web;

import jakarta.servlet.ServletContextEvent;
import jakarta.servlet.ServletContextListener;
import jakarta.servlet.annotation.WebListener;
import org.eclipse.microprofile.config.ConfigProvider;

import java.util.logging.Logger;

/** Prints where the admin API answers, once the web module is up. */
@WebListener
public class AdminUrlAnnouncer implements ServletContextListener {

    private static final Logger LOG = Logger.getLogger(AdminUrlAnnouncer.class.getName());

    @Override
    public void contextInitialized(ServletContextEvent event) {
        String port = ConfigProvider.getConfig().getOptionalValue("bms.http.port", String.class).orElse("8080");
        String url = "http://localhost:" + port + event.getServletContext().getContextPath() + "/api/v1";
        LOG.info("BMS0001 BMS admin API ready at " + url + " (try " + url + "/datapoints/<name>/value)");
    }
}
