package org.mobilevpn.policy;

/**
 * Where the policy manager writes its log: the OSGi Logger in the framework, a list in tests (which
 * check that no secret is ever written). Messages are built from non-secret values only.
 */
interface PolicyLog {
    void info(String message);

    void warn(String message);

    void error(String message);
}
