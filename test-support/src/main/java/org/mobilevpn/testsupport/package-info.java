/**
 * System-test harness: network namespaces, processes in them, strongSwan charon peers, a test PKI,
 * packet captures and tshark checks, and the JUnit 5 extension that ties their lifetime to tests.
 *
 * <h2>Writing a system test</h2>
 * Name it {@code *IT} (Failsafe) and annotate it with {@link org.mobilevpn.testsupport.SystemTest}; take a
 * {@link org.mobilevpn.testsupport.SystemTestContext} parameter and create everything through it, so it
 * is removed after the test whatever happens:
 *
 * <pre>{@code
 * @SystemTest(tag = "ike", requires = {"charon", "swanctl", "tcpdump", "tshark"})
 * class IkePskIT {
 *     @Test
 *     void establishes(SystemTestContext ctx) {
 *         TestNetwork net = ctx.standardNetwork();              // mvpn-ike-cli / -gw / -lan
 *         StrongSwanGateway gw = ctx.register(StrongSwanGateway.start(net.gateway(),
 *                 SwanctlConf.gatewayPsk("s3cret")
 *                         .configure("rw", c -> c.ikeProposals("aes128gcm16-prfsha256-ecp256"))
 *                         .build()));
 *         TcpdumpCapture cap = ctx.register(TcpdumpCapture.start(net.gateway(), "wan0", "ike", "udp"));
 *
 *         NsProcess client = ctx.register(net.client().start("client", "java", "-jar", "..."));
 *         gw.awaitLog("IKE_SA rw\\[\\d+\\] established", Duration.ofSeconds(20));
 *
 *         IkeSa sa = gw.listSas().get(0);                       // state, SPIs, algorithms, VIP, Child SAs
 *         CharonKeyLog.IkeKeys keys = gw.keyLog().ike(sa.uniqueId()).orElseThrow();
 *         // compare keys.skEi() ... with what our engine derived
 *         List<String> esp = Tshark.decryptEsp(cap.stop(),
 *                 Tshark.EspSa.fromCharon(gw.keyLog().child(sa.child().spiIn()).orElseThrow()));
 *     }
 * }
 * }</pre>
 *
 * <h2>Rules it enforces</h2>
 * <ul>
 * <li>Without root or a required tool the class is skipped with a message; with {@code CI=true} it fails.</li>
 * <li>Namespaces are named {@code mvpn-<tag>-<role>}; one tag per test class. A per-tag lock in
 * {@code /run/mvpn-harness} lets a new run remove its own tag's leftovers of a killed run without ever
 * touching a namespace of a live run or of another tag.</li>
 * <li>Processes are stopped by their own PID; closing a namespace kills what is left in it.</li>
 * <li>Addresses only from DESIGN.md's ranges; see {@link org.mobilevpn.testsupport.TestNetwork}.</li>
 * <li>Logs, configs and captures go to {@code target/system-tests/<TestClass>/<testMethod>/<namespace>/};
 * a failing test prints that directory.</li>
 * </ul>
 */
package org.mobilevpn.testsupport;
