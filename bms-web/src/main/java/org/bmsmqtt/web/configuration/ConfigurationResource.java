package org.bmsmqtt.web.configuration;

import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import org.bmsmqtt.bms.configuration.ConfigurationService;
import org.bmsmqtt.bms.configuration.ExportedConfiguration;
import org.bmsmqtt.bms.configuration.ImportResult;
import org.bmsmqtt.bms.shared.InvalidValueException;

import java.time.Instant;

/**
 * The whole configuration out (GET, without secrets) and in (POST, one transaction: all or nothing). Import mode
 * {@code merge} (default) creates and updates by name and leaves the rest; {@code replace} also deletes the brokers
 * and datapoints the document does not name.
 */
@RequestScoped
@Path("configuration")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class ConfigurationResource {

    @Inject
    ConfigurationService configuration;

    @GET
    public ConfigurationDocument export() {
        ExportedConfiguration c = configuration.export();
        return new ConfigurationDocument(ConfigurationDocument.FORMAT_VERSION, Instant.now(),
                c.brokers().stream().map(BrokerEntry::of).toList(),
                c.datapoints().stream().map(d -> DatapointEntry.of(d, c.bindingsOf(d))).toList(),
                KnxEntries.of(c.knx()), BacnetEntries.of(c.bacnet()),
                IntegratedBrokerEntries.of(c.integratedBroker()));
    }

    @POST
    public ImportResult importDocument(@QueryParam("mode") String mode, ConfigurationDocument body) {
        boolean replace;
        if (mode == null || mode.isEmpty() || mode.equals("merge")) {
            replace = false;
        } else if (mode.equals("replace")) {
            replace = true;
        } else {
            throw new InvalidValueException("mode", "merge (default) or replace");
        }
        return configuration.importConfiguration(DocumentReader.read(body, replace));
    }
}
