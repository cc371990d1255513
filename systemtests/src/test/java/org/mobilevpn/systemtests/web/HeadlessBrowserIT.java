package org.mobilevpn.systemtests.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.mobilevpn.testsupport.HeadlessBrowser;
import org.mobilevpn.testsupport.Netns;
import org.mobilevpn.testsupport.NsProcess;
import org.mobilevpn.testsupport.SystemTest;
import org.mobilevpn.testsupport.SystemTestContext;
import org.openqa.selenium.By;

/**
 * The browser harness itself: Chromium started by {@link HeadlessBrowser} lives in the given namespace
 * (it reaches a server bound to that namespace's 127.0.0.1 and nothing else), renders real screenshots,
 * and leaves no process or profile behind.
 */
@SystemTest(tag = "webbrowser", requires = {"chromium", "chromedriver", "python3"})
class HeadlessBrowserIT {

    @Test
    void theBrowserLivesInTheNamespaceAndLeavesNothingBehind(SystemTestContext ctx) throws IOException {
        Netns ns = ctx.netns("cli");
        String marker = "inside-" + System.nanoTime();
        Path site = ctx.outputDir("site");
        Files.writeString(site.resolve("index.html"),
                "<html><body><h1 id=\"marker\">" + marker + "</h1></body></html>");
        // served only on the namespace's own loopback; the root namespace has no such page
        NsProcess server = ctx.register(ns.start("http", "python3", "-m", "http.server", "18080", "--bind", "127.0.0.1",
                "--directory", site.toString()));
        server.awaitOutput("Serving HTTP", Duration.ofSeconds(20));

        HeadlessBrowser browser = HeadlessBrowser.start(ns, ctx.outputDir("screenshots"));
        long chromium;
        List<Long> tree;
        Path profile;
        try {
            browser.driver().get("http://127.0.0.1:18080/");
            assertEquals(marker, browser.driver().findElement(By.id("marker")).getText());
            Path shot = browser.screenshot("marker-page");
            byte[] png = Files.readAllBytes(shot);
            assertTrue(png.length > 1000 && png[1] == 'P' && png[2] == 'N' && png[3] == 'G', "a real PNG: " + shot);

            chromium = browser.chromiumPid().orElseThrow();
            assertTrue(ns.pids().contains(chromium), "Chromium runs in " + ns.name() + ": " + ns.pids());
            tree = ProcessHandle.of(chromium).orElseThrow().descendants().map(ProcessHandle::pid).toList();
            assertFalse(tree.isEmpty(), "Chromium has its renderer and helper processes");
            profile = browser.profile();
            assertTrue(Files.isDirectory(profile), "fresh profile " + profile);
        } finally {
            browser.close();
        }
        assertTrue(ProcessHandle.of(chromium).isEmpty() || !ProcessHandle.of(chromium).get().isAlive(), "Chromium ended");
        for (long pid : tree) {
            assertTrue(ProcessHandle.of(pid).map(p -> !p.isAlive()).orElse(true), "child " + pid + " ended");
        }
        assertFalse(Files.exists(profile), "temporary profile removed: " + profile);
    }
}
