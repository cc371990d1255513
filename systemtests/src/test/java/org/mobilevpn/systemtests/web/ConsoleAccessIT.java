package org.mobilevpn.systemtests.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.mobilevpn.testsupport.CommandResult;
import org.mobilevpn.testsupport.Netns;
import org.mobilevpn.testsupport.RuntimeProcess;
import org.mobilevpn.testsupport.SystemTest;
import org.mobilevpn.testsupport.SystemTestContext;
import org.mobilevpn.testsupport.TestNetwork;

/**
 * The Web Console is root's door: a fresh runtime has no admin/admin, only a login made at its first start
 * that only root can read; the default password is refused even where the operator configures it; a page
 * that reaches 127.0.0.1 under its own name (DNS rebinding) is refused; plain HTTP on a non-loopback
 * address is refused. Through the real runtime and its HTTP service, requests made inside its namespace.
 */
@SystemTest(tag = "webaccess", requires = {"java", "python3"})
class ConsoleAccessIT {
    private static final Duration START = Duration.ofSeconds(90);
    private static final String CONFIG = "org.apache.felix.webconsole.internal.servlet.OsgiManager.cfg";
    private static final String JSON = "http://127.0.0.1:8080/system/console/vpn/status.json";

    @Test
    void aFreshRuntimeHasAPrivateGeneratedLoginAndRefusesTheDefaultAndForeignHosts(SystemTestContext ctx)
            throws IOException {
        Netns client = ctx.standardNetwork().client();
        RuntimeProcess runtime = ctx.register(RuntimeProcess.start(client, ctx.outputDir("runtime")));
        runtime.awaitHealthy(START);
        NamespaceHttp http = new NamespaceHttp(client);

        Path config = runtime.etc().resolve(CONFIG);
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(config)));
        assertTrue(Files.readString(config).contains("password = {sha-256}"), Files.readString(config));
        CommandResult shown = client.exec(Duration.ofSeconds(60), runtime.home().resolve("bin/mobilevpn").toString(),
                "credential");
        assertEquals(0, shown.exitCode(), shown.stderr());
        String login = runtime.webConsoleLogin();
        assertTrue(shown.stdout().contains("password " + login.substring(login.indexOf(':') + 1)), shown.stdout());

        assertEquals(200, awaitConsole(http, login).status());
        assertNotEquals(200, http.get(JSON, "admin:admin").status(), "admin/admin does not open a fresh runtime");
        NamespaceHttp.Response rebound = http.request("GET", JSON, login, null, Map.of("Host", "evil.example:8080"));
        assertEquals(403, rebound.status(), rebound.toString());
        assertTrue(rebound.text().contains("Host 'evil.example:8080' is not this console's address"), rebound.text());

        // the operator configures the default password: it is still refused, with the reason
        Path draft = Files.writeString(runtime.etc().resolve("console.draft"), "username = admin\npassword = admin\n");
        Files.setPosixFilePermissions(draft, PosixFilePermissions.fromString("rw-------"));
        RuntimeProcess.replaceAtomically(draft, config);
        NamespaceHttp.Response defaulted = awaitStatus(http, "admin:admin", 403);
        assertTrue(defaulted.text().contains("the default password is refused"), defaulted.text());
        String log = runtime.execChecked("log warn");
        assertTrue(log.contains("refused: the default password is refused"), "the refusal is in the OSGi log: " + log);
    }

    @Test
    void plainHttpOnANonLoopbackAddressIsRefused(SystemTestContext ctx) throws IOException {
        Netns client = ctx.standardNetwork().client();
        // as an operator would move it: the HTTP service's own configuration in etc/
        RuntimeProcess runtime = ctx.register(RuntimeProcess.start(client, ctx.outputDir("runtime"),
                Map.of("org.apache.felix.http.cfg", "org.apache.felix.http.host = " + TestNetwork.CLIENT_IP + "\n")));
        runtime.awaitHealthy(START);
        NamespaceHttp http = new NamespaceHttp(client);
        String url = "http://" + TestNetwork.CLIENT_IP + ":8080/system/console/vpn/status.json";
        NamespaceHttp.Response r = awaitStatus(http, url, runtime.webConsoleLogin(), 403);
        assertTrue(r.text().contains("plain HTTP on " + TestNetwork.CLIENT_IP + " is refused"), r.text());
        assertFalse(r.text().contains("\"connections\""), "no status behind the refusal");
    }

    private static NamespaceHttp.Response awaitConsole(NamespaceHttp http, String login) {
        return awaitStatus(http, JSON, login, 200);
    }

    private static NamespaceHttp.Response awaitStatus(NamespaceHttp http, String login, int status) {
        return awaitStatus(http, JSON, login, status);
    }

    /** The console comes up (and takes a new configuration) a moment after the framework: poll, bounded. */
    private static NamespaceHttp.Response awaitStatus(NamespaceHttp http, String url, String login, int status) {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        NamespaceHttp.Response last = null;
        while (System.nanoTime() < deadline) {
            try {
                last = http.get(url, login);
                if (last.status() == status) {
                    return last;
                }
            } catch (AssertionError notYetListening) {
                last = null;
            }
            sleep();
        }
        throw new AssertionError("no HTTP " + status + " from " + url + " within 60 s; last: " + last);
    }

    private static void sleep() {
        try {
            Thread.sleep(500);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}
