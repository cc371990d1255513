package org.mobilevpn.launcher;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;

/**
 * The framework's launch properties: etc/framework.properties with {@code ${mobilevpn.home}}
 * replaced, plus what the launcher itself decides (cache location, console mode).
 */
final class FrameworkProperties {

    static final String FILE = "etc/framework.properties";

    private FrameworkProperties() {
    }

    static Map<String, String> load(Path home, boolean daemon) throws IOException {
        Properties file = new Properties();
        try (Reader reader = Files.newBufferedReader(home.resolve(FILE), StandardCharsets.UTF_8)) {
            file.load(reader);
        }
        String homePath = home.toString();
        Map<String, String> properties = new HashMap<>();
        for (String key : file.stringPropertyNames()) {
            properties.put(key, file.getProperty(key).replace("${mobilevpn.home}", homePath));
        }
        properties.put("mobilevpn.home", homePath);
        properties.putIfAbsent("org.osgi.framework.storage", home.resolve("data/cache").toString());
        if (daemon) {
            // Without a console, Gogo must not read stdin: its end would stop the framework.
            properties.put("gosh.args", "--nointeractive");
        }
        return properties;
    }
}
