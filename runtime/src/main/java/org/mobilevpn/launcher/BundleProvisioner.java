package org.mobilevpn.launcher;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleException;
import org.osgi.framework.Constants;
import org.osgi.framework.startlevel.BundleStartLevel;

/**
 * Makes the installed bundles match bundle/: each {@code bundle/<N>/*.jar} is installed at start
 * level N (logging extender 1, framework services 2), updated when its file is newer than the
 * installed copy, and uninstalled when its file is gone. Our own bundles are not here: FileInstall
 * deploys them from deploy/ at the last start level, so replacing a file there updates them.
 */
final class BundleProvisioner {

    private static final String LOCATION_PREFIX = "mobilevpn:bundle/";

    private final BundleContext context;
    private final Path bundleDir;

    BundleProvisioner(BundleContext context, Path bundleDir) {
        this.context = context;
        this.bundleDir = bundleDir;
    }

    void provision() throws IOException, BundleException {
        Map<String, Bundle> installed = new HashMap<>();
        for (Bundle bundle : context.getBundles()) {
            if (bundle.getLocation().startsWith(LOCATION_PREFIX)) {
                installed.put(bundle.getLocation(), bundle);
            }
        }
        List<Bundle> toStart = new ArrayList<>();
        for (Path levelDir : levelDirectories()) {
            int level = Integer.parseInt(levelDir.getFileName().toString());
            try (DirectoryStream<Path> jars = Files.newDirectoryStream(levelDir, "*.jar")) {
                for (Path jar : jars) {
                    String location = LOCATION_PREFIX + level + "/" + jar.getFileName();
                    Bundle bundle = installed.remove(location);
                    if (bundle == null) {
                        bundle = install(location, jar);
                    } else if (Files.getLastModifiedTime(jar).toMillis() > bundle.getLastModified()) {
                        try (InputStream in = Files.newInputStream(jar)) {
                            bundle.update(in);
                        }
                    }
                    bundle.adapt(BundleStartLevel.class).setStartLevel(level);
                    toStart.add(bundle);
                }
            }
        }
        for (Bundle gone : installed.values()) {
            gone.uninstall();
        }
        for (Bundle bundle : toStart) {
            if (bundle.getHeaders().get(Constants.FRAGMENT_HOST) == null) {
                bundle.start(); // persistent: it starts when the framework reaches its level
            }
        }
    }

    private Bundle install(String location, Path jar) throws IOException, BundleException {
        try (InputStream in = Files.newInputStream(jar)) {
            return context.installBundle(location, in);
        }
    }

    private List<Path> levelDirectories() throws IOException {
        List<Path> levels = new ArrayList<>();
        try (DirectoryStream<Path> dirs = Files.newDirectoryStream(bundleDir, p -> p.getFileName().toString().matches("\\d+"))) {
            dirs.forEach(levels::add);
        }
        levels.sort((a, b) -> Integer.compare(Integer.parseInt(a.getFileName().toString()),
                Integer.parseInt(b.getFileName().toString())));
        return levels;
    }
}
