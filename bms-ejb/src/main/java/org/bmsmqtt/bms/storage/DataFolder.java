package org.bmsmqtt.bms.storage;

import org.eclipse.microprofile.config.Config;

import java.nio.file.Path;

/** The data folder ({@code bms.data.dir}, default {@code ./data}): H2 database, certificates, broker data. */
public final class DataFolder {

    public static final String KEY = "bms.data.dir";

    private DataFolder() {
    }

    public static Path path(Config config) {
        String dir = config.getOptionalValue(KEY, String.class).orElse("./data");
        return Path.of(dir).toAbsolutePath().normalize();
    }
}
