package org.bmsmqtt.bms.storage;

import jakarta.annotation.PostConstruct;
import jakarta.annotation.Resource;
import jakarta.annotation.sql.DataSourceDefinition;
import jakarta.ejb.Singleton;
import jakarta.ejb.Startup;
import jakarta.ejb.TransactionManagement;
import jakarta.ejb.TransactionManagementType;
import org.eclipse.microprofile.config.ConfigProvider;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.output.MigrateResult;

import javax.sql.DataSource;
import java.util.logging.Logger;

/**
 * Brings the schema up to date with Flyway before anything else touches the database. JPA never generates DDL.
 * Bean-managed transactions: Flyway commits its own work.
 */
@DataSourceDefinition(
        name = SchemaMigration.DATASOURCE,
        className = "org.bmsmqtt.bms.storage.ConfiguredDataSource",
        minPoolSize = 1,
        maxPoolSize = 32,
        // A connection is checked (Connection.isValid) before the pool hands it out, and one failing check drops
        // them all: after a database restart the pool reconnects instead of handing out closed connections forever.
        properties = {
                "fish.payara.is-connection-validation-required=true",
                "fish.payara.connection-validation-method=custom-validation",
                "fish.payara.validation-classname=org.glassfish.api.jdbc.validation.JDBC40ConnectionValidation",
                "fish.payara.fail-all-connections=true"
        })
@Singleton
@Startup
@TransactionManagement(TransactionManagementType.BEAN)
public class SchemaMigration {

    public static final String DATASOURCE = "java:app/jdbc/bms";
    private static final Logger LOG = Logger.getLogger(SchemaMigration.class.getName());

    @Resource(lookup = DATASOURCE)
    private DataSource dataSource;

    @PostConstruct
    void migrate() {
        var flyway = Flyway.configure(SchemaMigration.class.getClassLoader())
                .dataSource(dataSource)
                .locations("classpath:db/migration");
        ConfigProvider.getConfig(SchemaMigration.class.getClassLoader())
                .getOptionalValue(ConfiguredDataSource.SCHEMA_KEY, String.class)
                .ifPresent(schema -> flyway.schemas(schema).defaultSchema(schema).createSchemas(true));
        Flyway loaded = flyway.load();
        MigrateResult result = loaded.migrate();
        var current = loaded.info().current();
        LOG.info("BMS0100 database schema at version " + (current == null ? "none" : current.getVersion()) + " ("
                + result.migrationsExecuted + " migrations applied now)");
    }
}
