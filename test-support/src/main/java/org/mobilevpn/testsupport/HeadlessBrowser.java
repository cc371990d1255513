package org.mobilevpn.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * A headless Chromium driven by Selenium whose network is that of a {@link Netns}, so it reaches
 * services bound to that namespace's own 127.0.0.1 (the runtime's Web Console).
 *
 * <p>How: chromedriver runs in the root namespace on a loopback port only this JVM talks to. Its
 * "browser binary" is a small wrapper script, {@code exec ip netns exec <ns> /usr/bin/chromium "$@"},
 * so Chromium and all its child processes live in the namespace. chromedriver normally talks to
 * Chromium over a DevTools TCP port, which would be in the namespace and out of its reach; with
 * {@code --remote-debugging-pipe} it uses file descriptors 3 and 4 instead, which {@code ip netns exec}
 * hands through unchanged. (Selenium's own CDP/BiDi connections need a TCP debugger address and are
 * therefore unavailable, so no {@code HasAuthentication}.)
 *
 * <p>HTTP Basic login: open any page of the realm once with credentials in the URL
 * ({@code http://user:pass@127.0.0.1:port/...}); Chromium caches them for the origin and answers later
 * challenges itself. Then open the page under test WITHOUT credentials in its URL: a document whose URL
 * carries credentials cannot {@code fetch()} relative URLs (the Fetch standard rejects request URLs with
 * credentials), so a self-refreshing page would break.
 *
 * <p>Each browser gets a fresh profile in a temporary directory, removed by {@link #close()}, together
 * with the wrapper. {@link #close()} quits the session, then kills by PID whatever of the Chromium
 * process tree it started is still alive, then stops chromedriver (Selenium stops it through its own
 * process handle); nothing is killed by name.
 *
 * <pre>{@code
 * HeadlessBrowser browser = ctx.register(HeadlessBrowser.start(client, ctx.outputDir("screenshots")));
 * browser.driver().get("http://admin:admin@127.0.0.1:8080/system/console/vpn/status.json"); // log in
 * browser.driver().get("http://127.0.0.1:8080/system/console/vpn");
 * browser.screenshot("connected");   // screenshots/01-connected.png
 * }</pre>
 */
public final class HeadlessBrowser implements AutoCloseable {

    /** Debian's Chromium launcher. */
    public static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    /** Debian's chromedriver (package chromium-driver), the same version as Chromium. */
    public static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
    /** How long a page load may take before the driver fails instead of hanging. */
    public static final Duration PAGE_LOAD_TIMEOUT = Duration.ofSeconds(30);

    private static final List<String> FLAGS = List.of("--headless=new", "--no-sandbox", "--disable-gpu",
            "--disable-dev-shm-usage", "--disable-quic", "--no-first-run", "--disable-background-networking",
            "--disable-component-update", "--disable-sync", "--window-size=1280,800",
            "--remote-debugging-pipe");

    private final Netns netns;
    private final Path tempDir;
    private final Path screenshotDir;
    private final ChromeDriverService service;
    private ChromeDriver driver;
    private Optional<ProcessHandle> chromium = Optional.empty();
    private int screenshots;
    private boolean closed;

    private HeadlessBrowser(Netns netns, Path tempDir, Path screenshotDir, ChromeDriverService service) {
        this.netns = netns;
        this.tempDir = tempDir;
        this.screenshotDir = screenshotDir;
        this.service = service;
    }

    /**
     * Starts chromedriver and a headless Chromium inside {@code netns}.
     *
     * @param netns the namespace whose network the browser uses
     * @param screenshotDir where {@link #screenshot(String)} writes (created); chromedriver's log goes
     *        to its parent directory as {@code chromedriver.log}
     * @return the running browser; close it
     */
    public static HeadlessBrowser start(Netns netns, Path screenshotDir) {
        Path temp;
        try {
            TestOutput.mkdirs(screenshotDir);
            temp = Files.createTempDirectory(Path.of("/tmp"), "mvpn-browser-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        ChromeDriverService service = null;
        HeadlessBrowser browser = null;
        try {
            Path wrapper = writeWrapper(temp, netns);
            Path profile = Files.createDirectory(temp.resolve("profile"));
            Path log = screenshotDir.toAbsolutePath().getParent().resolve("chromedriver.log");
            service = new ChromeDriverService.Builder()
                    .usingDriverExecutable(CHROMEDRIVER.toFile())
                    .usingAnyFreePort()
                    .withLogFile(log.toFile())
                    .build();
            browser = new HeadlessBrowser(netns, temp, screenshotDir, service);
            Janitor.track(browser);
            ChromeOptions options = new ChromeOptions();
            options.setBinary(wrapper.toFile());
            options.addArguments(FLAGS);
            options.addArguments("--user-data-dir=" + profile);
            options.setPageLoadTimeout(PAGE_LOAD_TIMEOUT);
            options.setScriptTimeout(PAGE_LOAD_TIMEOUT);
            browser.driver = new ChromeDriver(service, options);
            Object pid = browser.driver.getCapabilities().getCapability("goog:processID");
            if (pid instanceof Number n) {
                browser.chromium = ProcessHandle.of(n.longValue());
            }
            return browser;
        } catch (IOException e) {
            closeQuietly(browser, service, temp);
            throw new UncheckedIOException(e);
        } catch (RuntimeException | Error e) {
            closeQuietly(browser, service, temp);
            throw e;
        }
    }

    /** @return the Selenium driver of this browser */
    public WebDriver driver() {
        return driver;
    }

    /** @return the namespace the browser's network lives in */
    public Netns netns() {
        return netns;
    }

    /** @return the browser's temporary profile directory (removed by {@link #close()}) */
    public Path profile() {
        return tempDir.resolve("profile");
    }

    /** @return the PID of the Chromium browser process, when chromedriver reported it */
    public Optional<Long> chromiumPid() {
        return chromium.map(ProcessHandle::pid);
    }

    /**
     * Saves a screenshot of the current page as {@code NN-<step>.png}, numbered in call order.
     *
     * @param step short description for the file name, e.g. {@code connected}
     * @return the PNG file
     */
    public Path screenshot(String step) {
        screenshots++;
        String name = String.format("%02d-%s.png", screenshots, step.replaceAll("[^A-Za-z0-9._-]", "_"));
        Path file = screenshotDir.resolve(name);
        try {
            Files.write(file, driver.getScreenshotAs(OutputType.BYTES));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return file;
    }

    /** Quits the session, kills what is left of the Chromium it started (by PID), stops chromedriver. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            closeQuietly(this, service, tempDir);
        } finally {
            Janitor.untrack(this);
        }
    }

    @Override
    public String toString() {
        return "headless Chromium in " + netns.name() + chromium.map(p -> " (pid " + p.pid() + ")").orElse("");
    }

    private static void closeQuietly(HeadlessBrowser browser, ChromeDriverService service, Path temp) {
        if (browser != null && browser.driver != null) {
            // remember the tree before quit(): afterwards the children are re-parented and unknown
            List<ProcessHandle> tree = browser.chromium
                    .map(p -> java.util.stream.Stream.concat(java.util.stream.Stream.of(p), p.descendants()).toList())
                    .orElse(List.of());
            try {
                browser.driver.quit();
            } catch (RuntimeException e) {
                System.err.println("mvpn harness: quitting the browser failed: " + e);
            }
            awaitExit(tree, Duration.ofSeconds(5));
            tree.stream().filter(ProcessHandle::isAlive).forEach(ProcessHandle::destroyForcibly);
            awaitExit(tree, Duration.ofSeconds(5));
        }
        if (service != null) {
            try {
                service.stop();
            } catch (RuntimeException e) {
                System.err.println("mvpn harness: stopping chromedriver failed: " + e);
            }
        }
        TestOutput.deleteTree(temp);
    }

    private static void awaitExit(List<ProcessHandle> processes, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        for (ProcessHandle p : processes) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return;
            }
            try {
                p.onExit().get(left, TimeUnit.NANOSECONDS);
            } catch (TimeoutException | ExecutionException e) {
                return;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /** The browser binary chromedriver starts: Chromium, moved into the namespace by ip netns exec. */
    private static Path writeWrapper(Path dir, Netns netns) throws IOException {
        Path wrapper = dir.resolve("chromium-in-" + netns.name());
        String script = "#!/bin/sh\n"
                + "# Chromium in network namespace " + netns.name() + "; fds 3 and 4 (the DevTools pipe) pass through\n"
                + "exec ip netns exec " + netns.name() + " " + CHROMIUM + " \"$@\"\n";
        Files.writeString(wrapper, script, StandardCharsets.UTF_8);
        Files.setPosixFilePermissions(wrapper, PosixFilePermissions.fromString("rwx------"));
        return wrapper;
    }
}
