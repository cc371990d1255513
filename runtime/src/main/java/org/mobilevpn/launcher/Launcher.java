package org.mobilevpn.launcher;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.ServiceLoader;
import org.osgi.framework.BundleException;
import org.osgi.framework.FrameworkEvent;
import org.osgi.framework.launch.Framework;
import org.osgi.framework.launch.FrameworkFactory;
import sun.misc.Signal;

/**
 * Runs the OSGi framework of one runtime directory until it stops: provisions bundle/, opens the
 * control channel, and turns SIGTERM (and SIGINT) into an orderly framework stop so that a daemon
 * exits with status 0.
 */
final class Launcher {

    private final Path home;
    private final boolean daemon;

    Launcher(Path home, boolean daemon) {
        this.home = home;
        this.daemon = daemon;
    }

    /** Runs until the framework has stopped; returns the process exit status. */
    int run() throws IOException, BundleException, InterruptedException {
        Path socket = ControlChannel.socketPath(home);
        if (ControlChannel.isServing(socket)) {
            System.err.println("mobilevpn: a runtime already runs from " + home + " (" + socket + " answers)");
            return 3;
        }
        Map<String, String> properties = FrameworkProperties.load(home, daemon);
        Framework framework = ServiceLoader.load(FrameworkFactory.class).findFirst()
                .orElseThrow(() -> new IllegalStateException("no OSGi framework on the class path"))
                .newFramework(properties);
        framework.init();
        new BundleProvisioner(framework.getBundleContext(), home.resolve("bundle")).provision();
        stopOnSignal(framework, "TERM");
        stopOnSignal(framework, "INT");
        try (ControlServer control = new ControlServer(socket, new GogoBridge(framework.getBundleContext()))) {
            framework.start();
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
