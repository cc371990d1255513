package org.mobilevpn.testsupport;

import java.nio.file.Path;

/** Loads an nftables ruleset into a namespace ({@code nft -f}); the file is kept under target/ for reading. */
public final class Nftables {

    private Nftables() {
    }

    /**
     * Applies {@code ruleset} (nft syntax) inside {@code ns}.
     *
     * @param ns the namespace
     * @param ruleset the rules, e.g. a {@code table ip ... { chain ... }} block
     */
    public static void apply(Netns ns, String ruleset) {
        Path file = ns.outputDir().resolve("nftables-" + System.nanoTime() + ".nft");
        TestOutput.write(file, ruleset);
        ns.execChecked("nft", "-f", file.toString());
    }
}
