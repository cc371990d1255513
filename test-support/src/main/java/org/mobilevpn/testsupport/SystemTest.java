package org.mobilevpn.testsupport;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Marks a system-test class (needs root, network namespaces, real peers). It is tagged
 * {@code system} and runs with {@link SystemTestExtension}: before all tests the environment is
 * checked (root, {@code ip}, every tool in {@link #requires()}); when something is missing the class
 * is SKIPPED with a message naming it, or FAILS when the environment variable {@code CI=true}.
 * Test methods and {@code @BeforeAll}/{@code @BeforeEach} methods may take a
 * {@link SystemTestContext} parameter to create namespaces and register resources for cleanup.
 *
 * <pre>{@code
 * @SystemTest(tag = "ike", requires = {"charon", "swanctl"})
 * class IkePskIT {
 *     @Test
 *     void connects(SystemTestContext ctx) { TestNetwork net = ctx.standardNetwork(); ... }
 * }
 * }</pre>
 */
@Documented
@Inherited
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@ExtendWith(SystemTestExtension.class)
@Tag("system")
public @interface SystemTest {

    /**
     * Namespace tag of this class, [a-z0-9]{1,12}: its namespaces are named {@code mvpn-<tag>-<role>}.
     * Use one per test class so parallel runs never collide. Default: derived from the class name
     * (lower case, without a trailing IT/Test, at most 12 characters).
     *
     * @return the tag
     */
    String tag() default "";

    /**
     * Tools the tests need besides {@code ip}: a program name looked up in PATH (plus /usr/sbin, /sbin),
     * or one of the special names {@code charon} (/usr/lib/ipsec/charon) and {@code tun} (/dev/net/tun).
     * Example: {@code {"charon", "swanctl", "pki", "tcpdump", "tshark", "nft", "iperf3"}}.
     *
     * @return required tools
     */
    String[] requires() default {};
}
