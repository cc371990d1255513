package org.mobilevpn.launcher;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The Web Console's login, which Felix defaults to admin/admin. On the first start with the web feature and
 * without a credential in etc/, the launcher makes one: a random password whose SHA-256 goes into the Web
 * Console's own configuration ({@link #CONFIG}, honoured by Felix as {@code {sha-256}base64}), and whose
 * clear text only root can read ({@link #CLEAR}, shown by {@code bin/mobilevpn credential}). A credential the
 * operator sets in that configuration is left as it is.
 */
final class WebConsoleCredential {

    static final String PID = "org.apache.felix.webconsole.internal.servlet.OsgiManager";
    static final String CONFIG = "etc/" + PID + ".cfg";
    static final String CLEAR = "data/webconsole.credential";
    static final String USER = "admin";
    private static final String ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789";
    private static final int LENGTH = 24; // about 140 bits: no dictionary or brute force reaches it, salt or not

    private WebConsoleCredential() {
    }

    /** Whether this runtime has the Web Console at all (the web feature). */
    static boolean webConsoleInstalled(Path home) {
        try (Stream<Path> jars = Files.walk(home.resolve("bundle"))) {
            return jars.anyMatch(p -> p.getFileName().toString().startsWith("org.apache.felix.webconsole-"));
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * Makes the credential if the Web Console is installed and etc/ configures none (neither {@code .cfg} nor
     * {@code .config}). Both files are created 0600 before anything is written into them.
     *
     * @return whether one was made
     */
    static boolean ensure(Path home, SecureRandom random) throws IOException {
        if (!webConsoleInstalled(home) || Files.exists(home.resolve(CONFIG))
                || Files.exists(home.resolve("etc/" + PID + ".config"))) {
            return false;
        }
        StringBuilder password = new StringBuilder(LENGTH);
        for (int i = 0; i < LENGTH; i++) {
            password.append(ALPHABET.charAt(random.nextInt(ALPHABET.length())));
        }
        writePrivate(home.resolve(CLEAR), "username = " + USER + "\npassword = " + password + "\n");
        writePrivate(home.resolve(CONFIG), "# The Web Console's login, made at the first start; bin/mobilevpn credential\n"
                + "# shows the password to root. Set your own here (plain or {sha-256}base64).\n"
                + "username = " + USER + "\npassword = " + hashed(password.toString()) + "\n");
        return true;
    }

    /**
     * What {@code bin/mobilevpn credential} prints: the generated login while the configuration still holds it,
     * otherwise where the operator's own is.
     */
    static String describe(Path home) throws IOException {
        Path clear = home.resolve(CLEAR);
        Path config = home.resolve(CONFIG);
        if (!Files.exists(clear)) {
            return "no generated credential: the Web Console's login is set in " + config;
        }
        Optional<String> password = value(Files.readString(clear), "password");
        boolean current = password.isPresent() && Files.exists(config)
                && value(Files.readString(config), "password").equals(Optional.of(hashed(password.get())));
        if (!current) {
            return "the generated credential is no longer in use: the Web Console's login is set in " + config;
        }
        return "Web Console http://127.0.0.1:8080/system/console\nusername " + USER + "\npassword " + password.get();
    }

    static String hashed(String password) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(password.getBytes(StandardCharsets.UTF_8));
            return "{sha-256}" + Base64.getEncoder().encodeToString(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java has SHA-256", e);
        }
    }

    private static Optional<String> value(String text, String key) {
        return text.lines().map(String::strip).filter(l -> l.startsWith(key))
                .map(l -> l.substring(key.length()).strip())
                .filter(l -> l.startsWith("=")).map(l -> l.substring(1).strip()).findFirst();
    }

    /** Writes {@code text} to a file that is 0600 from its creation on, replacing it atomically. */
    private static void writePrivate(Path file, String text) throws IOException {
        Files.createDirectories(file.getParent());
        Path draft = Files.createTempFile(file.getParent(), ".credential", ".part",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.writeString(draft, text);
        Files.move(draft, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }
}
