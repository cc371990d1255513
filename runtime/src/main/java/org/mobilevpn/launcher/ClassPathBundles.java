package org.mobilevpn.launcher;

import java.io.IOException;
import java.lang.reflect.InvocationTargetException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.jar.Attributes;
import java.util.jar.JarFile;
import org.osgi.framework.BundleActivator;

/**
 * The OSGi bundles that sit on the launcher's class path in lib/ beside the framework (slf4j, Logback
 * and the Felix Logback integration): the system bundle exports their packages, and their
 * {@code Bundle-Activator}s start and stop with the framework itself. This is Felix Logback's
 * "immediate" deployment: logging is bound before the first bundle resolves, so no record is lost to
 * start order and no service-loader extender is needed. Public for the in-framework tests, which boot
 * the same class-path exports.
 */
public final class ClassPathBundles {
    private static final String FRAMEWORK = "org.apache.felix.framework";
    private static final String LAUNCHER = "org.mobilevpn.launcher";

    private final List<String> exports;
    private final List<String> activatorClasses;

    private ClassPathBundles(List<String> exports, List<String> activatorClasses) {
        this.exports = exports;
        this.activatorClasses = activatorClasses;
    }

    /** Reads the manifests of lib/*.jar; jars that are not bundles (the launcher) and the framework are skipped. */
    public static ClassPathBundles in(Path lib) throws IOException {
        List<String> exports = new ArrayList<>();
        List<String> activators = new ArrayList<>();
        List<Path> jars = new ArrayList<>();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(lib, "*.jar")) {
            files.forEach(jars::add);
        }
        jars.sort(null); // a stable order: activators start in it
        for (Path jar : jars) {
            try (JarFile file = new JarFile(jar.toFile())) {
                Attributes main = file.getManifest() == null ? null : file.getManifest().getMainAttributes();
                String name = main == null ? null : main.getValue("Bundle-SymbolicName");
                if (name == null || name.startsWith(FRAMEWORK) || name.startsWith(LAUNCHER)) {
                    continue;
                }
                String exported = main.getValue("Export-Package");
                if (exported != null) {
                    exports.add(exported);
                }
                String activator = main.getValue("Bundle-Activator");
                if (activator != null) {
                    activators.add(activator);
                }
            }
        }
        return new ClassPathBundles(List.copyOf(exports), List.copyOf(activators));
    }

    /** The packages these bundles export, as an {@code Export-Package} value; empty when none. */
    public String exports() {
        return String.join(",", exports);
    }

    /** {@code extra} followed by these bundles' exports: the value for org.osgi.framework.system.packages.extra. */
    public String withExports(String extra) {
        if (exports.isEmpty()) {
            return extra;
        }
        return extra == null || extra.isBlank() ? exports() : extra + "," + exports();
    }

    /** New instances of the activators, loaded from the launcher's class path. */
    List<BundleActivator> activators() {
        List<BundleActivator> list = new ArrayList<>();
        for (String className : activatorClasses) {
            try {
                list.add((BundleActivator) Class.forName(className).getDeclaredConstructor().newInstance());
            } catch (ReflectiveOperationException | ClassCastException e) {
                Throwable cause = e instanceof InvocationTargetException ? e.getCause() : e;
                throw new IllegalStateException("cannot create the activator " + className + " of a bundle in lib/: "
                        + cause, cause);
            }
        }
        return list;
    }
}
