package org.mobilevpn.launcher;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import org.osgi.framework.BundleException;
import org.osgi.framework.FrameworkEvent;
import org.osgi.framework.launch.Framework;
import org.osgi.framework.launch.FrameworkFactory;
import sun.misc.Signal;

/**
 * Runs the OSGi framework of one runtime directory until it stops: refuses a directory other users can
 * change (as root), makes the Web Console login on the first start, starts logging with the framework
 * ({@link ClassPathBundles}, configured by etc/logback.xml), provisions bundle/, starts the last start level
 * once deploy/ is active ({@link DeferredStartLevel}; the web feature's on its first request: {@link
 * WebOnFirstRequest}), opens the control channel,
 * and turns SIGTERM (and SIGINT) into an orderly framework stop so that a daemon exits with status 0.
 */
final class Launcher {
    /** Logback's own system property naming its configuration; etc/logback.xml unless the JVM was given one. */
    static final String LOGBACK_CONFIGURATION = "logback.configurationFile";
    static final String LOGBACK_FILE = "etc/logback.xml";
    private static final String SYSTEM_PACKAGES_EXTRA = "org.osgi.framework.system.packages.extra";
    private static final String SYSTEM_BUNDLE_ACTIVATORS = "felix.systembundle.activators";
    /** How long the web feature waits for deploy/ before it starts anyway (a cold start takes 1-3 s of CPU). */
    private static final Duration DEPLOY_PATIENCE = Duration.ofSeconds(30);

    /** When the class data archive is written, if bin/mobilevpn asks for it: start-up, the handshake included, is over. */
    private static final Duration CDS_DELAY = Duration.ofSeconds(20);

    private final Path home;
    private final boolean daemon;

    Launcher(Path home, boolean daemon) {
        this.home = home;
        this.daemon = daemon;
    }

    /** Runs until the framework has stopped; returns the process exit status. */
    int run() throws IOException, BundleException, InterruptedException {
        if (runsAsRoot()) {
            List<String> unsafe = RuntimeDirectoryCheck.writableByOthers(home);
            if (!unsafe.isEmpty()) {
                System.err.println("mobilevpn: refusing to run as root from a directory other users can change:");
                unsafe.forEach(u -> System.err.println("  " + u));
                return 4;
            }
        }
        RuntimeDirectoryCheck.readableSecrets(home).forEach(w -> System.err.println("mobilevpn: warning: " + w));
        if (WebConsoleCredential.ensure(home, new SecureRandom())) {
            System.err.println("mobilevpn: made a Web Console login (user " + WebConsoleCredential.USER
                    + "); bin/mobilevpn credential shows its password to root");
        }
        Path socket = ControlChannel.socketPath(home);
        if (ControlChannel.isServing(socket)) {
            System.err.println("mobilevpn: a runtime already runs from " + home + " (" + socket + " answers)");
            return 3;
        }
        Map<String, String> properties = FrameworkProperties.load(home, daemon);
        if (System.getProperty(LOGBACK_CONFIGURATION) == null) {
            System.setProperty(LOGBACK_CONFIGURATION, home.resolve(LOGBACK_FILE).toString());
        }
        ClassPathBundles classPath = ClassPathBundles.in(home.resolve("lib"));
        properties.put(SYSTEM_PACKAGES_EXTRA, classPath.withExports(properties.get(SYSTEM_PACKAGES_EXTRA)));
        Map<String, Object> configuration = new HashMap<>(properties);
        configuration.put(SYSTEM_BUNDLE_ACTIVATORS, classPath.activators());
        @SuppressWarnings({"unchecked", "rawtypes"}) // Felix takes its system bundle activators as a List value
        Map<String, String> withActivators = (Map) configuration;
        Framework framework = ServiceLoader.load(FrameworkFactory.class).findFirst()
                .orElseThrow(() -> new IllegalStateException("no OSGi framework on the class path"))
                .newFramework(withActivators);
        framework.init();
        new BundleProvisioner(framework.getBundleContext(), home.resolve("bundle")).provision();
        String deferredLevel = properties.get(DeferredStartLevel.PROPERTY);
        if (deferredLevel != null && !deferredLevel.isBlank()) {
            int level;
            try {
                level = Integer.parseInt(deferredLevel.strip());
            } catch (NumberFormatException e) {
                System.err.println("mobilevpn: " + DeferredStartLevel.PROPERTY + " in " + FrameworkProperties.FILE
                        + " is not a start level: " + deferredLevel);
                return 2;
            }
            DeferredStartLevel.Gate gate = "true".equalsIgnoreCase(properties.getOrDefault(WebOnFirstRequest.PROPERTY, "").strip())
                    ? new WebOnFirstRequest(HttpAddresses.of(framework.getBundleContext(), properties), DEPLOY_PATIENCE)
                    : DeferredStartLevel.Gate.OPEN;
            new DeferredStartLevel(framework.getBundleContext(), home.resolve("deploy"), level, DEPLOY_PATIENCE, gate)
                    .raiseOnceDeployed();
        }
        stopOnSignal(framework, "TERM");
        stopOnSignal(framework, "INT");
        try (ControlServer control = new ControlServer(socket, new GogoBridge(framework.getBundleContext()))) {
            framework.start();
            ClassDataArchive.writeLater(CDS_DELAY);
            try {
                control.start();
            } catch (IOException e) {
                // the VPN matters more than the remote console: run on, say what is missing
                System.err.println("mobilevpn: no control channel at " + socket + " (" + e.getMessage()
                        + "); bin/mobilevpn exec/status/up/down will not reach this runtime");
            }
            FrameworkEvent stopped = framework.waitForStop(0);
            return stopped.getType() == FrameworkEvent.ERROR ? 1 : 0;
        }
    }

    /** Whether this process runs with user ID 0 (the owner of /proc/self is the effective user). */
    private static boolean runsAsRoot() {
        try {
            return ((Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid")) == 0;
        } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
            return "root".equals(System.getProperty("user.name"));
        }
    }

    private static void stopOnSignal(Framework framework, String signal) {
        Signal.handle(new Signal(signal), received -> {
            try {
                framework.stop(); // asynchronous: run() returns once waitForStop sees it
            } catch (BundleException e) {
                System.err.println("mobilevpn: cannot stop the framework: " + e.getMessage());
                Runtime.getRuntime().halt(1);
            }
        });
    }
}
