package org.mobilevpn.testsupport;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Handed by {@link SystemTestExtension} to test, {@code @BeforeEach} and {@code @BeforeAll} methods
 * that declare a parameter of this type. Resources created or registered through it are closed in
 * reverse order after the test ({@code afterEach}) or, when it came into a {@code @BeforeAll} method,
 * after the class ({@code afterAll}) — on success, failure and timeout alike.
 */
public final class SystemTestContext {

    private final String tag;
    private final String name;
    private final List<AutoCloseable> resources = new ArrayList<>();

    SystemTestContext(String tag, String name) {
        this.tag = tag;
        this.name = name;
    }

    /** @return the namespace tag of the test class */
    public String tag() {
        return tag;
    }

    /** @return display name of the test or class this context belongs to */
    public String name() {
        return name;
    }

    /**
     * Registers a resource to be closed at the end of this context's scope.
     *
     * @param <T> its type
     * @param resource anything closeable (gateways, captures, processes, namespaces)
     * @return the same resource
     */
    public synchronized <T extends AutoCloseable> T register(T resource) {
        resources.add(resource);
        return resource;
    }

    /**
     * Creates and registers namespace {@code mvpn-<tag>-<role>}.
     *
     * @param role short role name, [a-z0-9]{1,12}
     * @return the namespace
     */
    public Netns netns(String role) {
        return register(Netns.create(tag, role));
    }

    /** @return a registered standard topology (see {@link TestNetwork#standard(String)}) */
    public TestNetwork standardNetwork() {
        return register(TestNetwork.standard(tag));
    }

    /** @return a registered topology with the client behind NAT (see {@link TestNetwork#withNat(String)}) */
    public TestNetwork natNetwork() {
        return register(TestNetwork.withNat(tag));
    }

    /**
     * @param sub name of a sub-directory
     * @return {@code sub} below the running test's output directory ({@link TestOutput#current()}), created
     */
    public Path outputDir(String sub) {
        return TestOutput.mkdirs(TestOutput.current().resolve(sub));
    }

    /**
     * Closes every registered resource, newest first, even when some fail.
     *
     * @throws Exception the first failure, with later ones suppressed
     */
    synchronized void closeAll() throws Exception {
        Exception first = null;
        for (int i = resources.size() - 1; i >= 0; i--) {
            try {
                resources.get(i).close();
            } catch (Exception e) {
                if (first == null) {
                    first = e;
                } else {
                    first.addSuppressed(e);
                }
            }
        }
        resources.clear();
        if (first != null) {
            throw first;
        }
    }
}
