package org.mobilevpn.itests;

import static org.ops4j.pax.exam.CoreOptions.frameworkProperty;
import static org.ops4j.pax.exam.CoreOptions.junitBundles;
import static org.ops4j.pax.exam.CoreOptions.options;
import static org.ops4j.pax.exam.CoreOptions.systemPackage;
import static org.ops4j.pax.exam.CoreOptions.systemProperty;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.inject.Inject;
import org.junit.runner.RunWith;
import org.mobilevpn.launcher.ClassPathBundles;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.BundleContext;

/**
 * Base of the in-framework tests: Felix booted with exactly the runtime's bundle set (see
 * {@link RuntimeBundleSet}), HTTP on an ephemeral loopback port and FileInstall pointed at empty
 * directories, so a test never collides with a runtime running on the same machine.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public abstract class RuntimeTestBase {

    @Inject
    protected BundleContext context;

    @Configuration
    public Option[] configuration() throws Exception {
        Path scratch = Files.createTempDirectory("mobilevpn-itest");
        List<Option> options = new ArrayList<>(RuntimeBundleSet.options());
        options.add(junitBundles());
        options.add(frameworkProperty("gosh.args").value("--nointeractive")); // stdin is not a console here
        options.add(frameworkProperty("felix.fileinstall.dir").value(Files.createDirectory(scratch.resolve("etc")).toString()));
        options.add(frameworkProperty("org.apache.felix.http.host").value("127.0.0.1"));
        options.add(frameworkProperty("org.osgi.service.http.port").value("0"));
        // as the launcher does: the class-path bundles of lib/ (slf4j, Logback, the OSGi Log API) are this
        // JVM's class path here too, exported by the system bundle
        options.add(systemPackage(ClassPathBundles.in(RuntimeBundleSet.distribution().resolve("lib")).exports()));
        options.add(systemProperty("org.ops4j.pax.logging.DefaultServiceLog.level").value("WARN"));
        return options(options.toArray(new Option[0]));
    }
}
