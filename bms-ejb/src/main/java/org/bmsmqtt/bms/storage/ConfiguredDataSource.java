package org.bmsmqtt.bms.storage;

import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.ConfigProvider;
import org.h2.jdbcx.JdbcDataSource;
import org.postgresql.ds.PGSimpleDataSource;

import javax.sql.DataSource;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.util.logging.Logger;

/**
 * The driver-level data source behind the server's connection pool ({@link SchemaMigration} defines the pool). It
 * reads {@code bms.db.*} from MicroProfile Config when the pool opens its first connection, so the database is chosen
 * by ordinary configuration (system properties, environment, defaults in microprofile-config.properties) on every
 * server, without server-specific variable syntax in annotations.
 * <p>
 * Without {@code bms.db.url}: an H2 file database {@code bms} in the data folder {@code bms.data.dir}.
 */
public class ConfiguredDataSource implements DataSource {

    private static final Logger LOG = Logger.getLogger(ConfiguredDataSource.class.getName());

    /** Optional PostgreSQL schema; Flyway creates it when missing. */
    public static final String SCHEMA_KEY = "bms.db.schema";

    private volatile DataSource delegate;
    private PrintWriter logWriter;
    private int loginTimeout;

    private DataSource delegate() throws SQLException {
        DataSource d = delegate;
        if (d == null) {
            synchronized (this) {
                if (delegate == null) {
                    delegate = create(ConfigProvider.getConfig(ConfiguredDataSource.class.getClassLoader()));
                }
                d = delegate;
            }
        }
        return d;
    }

    static DataSource create(Config config) throws SQLException {
        String url = config.getOptionalValue("bms.db.url", String.class).orElse("");
        String user = config.getOptionalValue("bms.db.user", String.class).orElse("");
        String password = config.getOptionalValue("bms.db.password", String.class).orElse("");
        if (url.isBlank()) {
            Path dir = DataFolder.path(config);
            try {
                Files.createDirectories(dir);
            } catch (java.io.IOException e) {
                throw new SQLException("bms.data.dir: cannot create the data folder " + dir + ": " + e.getMessage(), e);
            }
            url = "jdbc:h2:file:" + dir.resolve("bms").toAbsolutePath();
            if (user.isBlank()) {
                user = "bms";
            }
        }
        LOG.info("BMS0101 database: " + url + (user.isBlank() ? "" : " as " + user));
        if (url.startsWith("jdbc:h2:")) {
            JdbcDataSource h2 = new JdbcDataSource();
            h2.setURL(url);
            h2.setUser(user);
            h2.setPassword(password);
            return h2;
        }
        if (url.startsWith("jdbc:postgresql:")) {
            PGSimpleDataSource pg = new PGSimpleDataSource();
            pg.setURL(url);
            if (!user.isBlank()) {
                pg.setUser(user);
            }
            if (!password.isEmpty()) {
                pg.setPassword(password);
            }
            config.getOptionalValue(SCHEMA_KEY, String.class).ifPresent(pg::setCurrentSchema);
            return pg;
        }
        throw new SQLException("bms.db.url: only jdbc:h2: and jdbc:postgresql: URLs are supported, got " + url);
    }

    @Override
    public Connection getConnection() throws SQLException {
        return delegate().getConnection();
    }

    @Override
    public Connection getConnection(String username, String password) throws SQLException {
        if (username == null || username.isEmpty()) {
            return getConnection();
        }
        return delegate().getConnection(username, password);
    }

    @Override
    public PrintWriter getLogWriter() {
        return logWriter;
    }

    @Override
    public void setLogWriter(PrintWriter out) {
        this.logWriter = out;
    }

    @Override
    public void setLoginTimeout(int seconds) {
        this.loginTimeout = seconds;
    }

    @Override
    public int getLoginTimeout() {
        return loginTimeout;
    }

    @Override
    public java.util.logging.Logger getParentLogger() throws SQLFeatureNotSupportedException {
        throw new SQLFeatureNotSupportedException();
    }

    @Override
    public <T> T unwrap(Class<T> iface) throws SQLException {
        if (iface.isInstance(this)) {
            return iface.cast(this);
        }
        return delegate().unwrap(iface);
    }

    @Override
    public boolean isWrapperFor(Class<?> iface) throws SQLException {
        return iface.isInstance(this) || delegate().isWrapperFor(iface);
    }
}
