package org.mobilevpn.testsupport;

import java.util.List;
import java.util.Locale;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ExtensionContext.Namespace;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.opentest4j.AssertionFailedError;
import org.opentest4j.TestAbortedException;

/**
 * JUnit 5 extension behind {@link SystemTest}.
 *
 * <ul>
 * <li>beforeAll: checks root, {@code ip} and the declared tools; skips the class when something is
 * missing, or fails it when {@code CI=true}.</li>
 * <li>resolves {@link SystemTestContext} parameters: one context per test method (closed in
 * afterEach) and one per class for {@code @BeforeAll} methods and constructors (closed in afterAll).</li>
 * <li>output: {@link TestOutput#current()} is {@code target/system-tests/<TestClass>/<testMethod>/} during
 * a test; when a test fails, that directory is printed to stderr (charon logs, captures, process output).</li>
 * <li>afterAll: also removes any {@code mvpn-<tag>-*} namespace this JVM still has open and fails the
 * class naming it, so a leak is noticed instead of breaking the next run.</li>
 * </ul>
 */
public final class SystemTestExtension implements BeforeAllCallback, BeforeEachCallback, AfterEachCallback,
        AfterAllCallback, ParameterResolver {

    private static final Namespace STORE = Namespace.create(SystemTestExtension.class);

    @Override
    public void beforeAll(ExtensionContext context) {
        TestOutput.enterScope(context.getRequiredTestClass().getSimpleName());
        SystemTest annotation = annotation(context);
        List<String> missing = Environment.missing(annotation == null ? new String[0] : annotation.requires());
        if (!missing.isEmpty()) {
            String message = context.getDisplayName() + ": system test environment incomplete: "
                    + String.join("; ", missing);
            if (Environment.isCi()) {
                throw new AssertionFailedError(message + " (CI=true, so this is a failure)");
            }
            throw new TestAbortedException(message + " (skipped; set CI=true to make this fail)");
        }
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        TestOutput.enterScope(context.getRequiredTestClass().getSimpleName(), testDirName(context));
    }

    @Override
    public void afterEach(ExtensionContext context) throws Exception {
        try {
            SystemTestContext ctx = context.getStore(STORE).remove(key(context), SystemTestContext.class);
            if (ctx != null) {
                ctx.closeAll();
            }
        } finally {
            if (context.getExecutionException().isPresent()) {
                System.err.println("mvpn harness: " + context.getDisplayName() + " failed; its logs: "
                        + TestOutput.current());
            }
            TestOutput.enterScope(context.getRequiredTestClass().getSimpleName());
        }
    }

    @Override
    public void afterAll(ExtensionContext context) throws Exception {
        SystemTestContext ctx = context.getStore(STORE).remove(key(context), SystemTestContext.class);
        try {
            if (ctx != null) {
                ctx.closeAll();
            }
        } finally {
            TestOutput.enterScope();
            String tag = tag(context);
            List<Netns> leaked = Janitor.open(Netns.class).stream().filter(ns -> ns.tag().equals(tag)).toList();
            leaked.forEach(Netns::close);
            if (!leaked.isEmpty()) {
                throw new AssertionFailedError(context.getDisplayName() + " left namespaces open (now removed): "
                        + leaked + "; close them or create them through SystemTestContext");
            }
        }
    }

    @Override
    public boolean supportsParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
        return parameterContext.getParameter().getType() == SystemTestContext.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameterContext, ExtensionContext extensionContext)
            throws ParameterResolutionException {
        String tag = tag(extensionContext);
        return extensionContext.getStore(STORE).getOrComputeIfAbsent(key(extensionContext),
                k -> new SystemTestContext(tag, extensionContext.getDisplayName()), SystemTestContext.class);
    }

    /** Method name, plus the invocation number of parameterized and repeated tests. */
    static String testDirName(ExtensionContext context) {
        String name = context.getRequiredTestMethod().getName();
        String id = context.getUniqueId();
        int hash = id.lastIndexOf("invocation:#");
        return hash < 0 ? name : name + "-" + id.substring(hash + "invocation:#".length()).replaceAll("\\D", "");
    }

    /** Store keys are per context: a store lookup also searches the parents, and scopes must not mix. */
    private static String key(ExtensionContext context) {
        return "context:" + context.getUniqueId();
    }

    private static SystemTest annotation(ExtensionContext context) {
        return context.getRequiredTestClass().getAnnotation(SystemTest.class);
    }

    /**
     * The tag from {@link SystemTest#tag()}, else derived from the class name.
     *
     * @param context any context below the test class
     * @return the namespace tag
     */
    static String tag(ExtensionContext context) {
        SystemTest annotation = annotation(context);
        if (annotation != null && !annotation.tag().isEmpty()) {
            return annotation.tag();
        }
        return deriveTag(context.getRequiredTestClass().getSimpleName());
    }

    /**
     * @param simpleName a class's simple name, e.g. {@code StandardTopologyIT}
     * @return e.g. {@code standardtopo}
     */
    static String deriveTag(String simpleName) {
        String s = simpleName.replaceAll("(IT|Test|Tests)$", "").toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]", "");
        if (s.isEmpty()) {
            s = "t" + Integer.toHexString(simpleName.hashCode() & 0xffff);
        }
        return s.substring(0, Math.min(12, s.length()));
    }
}
