package org.mobilevpn.vnic;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.osgi.service.log.Logger;

/**
 * Undoes what an earlier run left behind after a crash: the journaled host routes and
 * resolv.conf changes, and devices carrying our name prefix (a TUN device outlives its process
 * only if made persistent or still held, but a stale one must not block our name). A device the
 * previous vnic bundle of this same process kept for us ({@link KeptDevices}) is not stale.
 */
final class StaleStateCleaner {
    private final VnicSettings settings;
    private final CommandRunner runner;
    private final IpCommands ip;
    private final Logger log;
    private final KeptDevices kept;

    StaleStateCleaner(VnicSettings settings, CommandRunner runner, Logger log) {
        this.settings = settings;
        this.runner = runner;
        this.ip = new IpCommands(settings.ipExecutable());
        this.log = log;
        this.kept = new KeptDevices(settings.stateDir());
    }

    /** Cleans and reports what was cleaned, one line per action. */
    List<String> clean() throws IOException {
        List<String> done = new ArrayList<>();
        if (Files.isDirectory(settings.stateDir())) {
            try (DirectoryStream<Path> journals = Files.newDirectoryStream(settings.stateDir(), "*" + VnicJournal.SUFFIX)) {
                for (Path j : journals) {
                    String device = j.getFileName().toString();
                    device = device.substring(0, device.length() - VnicJournal.SUFFIX.length());
                    if (!kept.isKept(device)) {
                        undo(device, j, done);
                    }
                }
            }
        }
        for (String dev : staleDevices()) {
            if (kept.isKept(dev)) {
                continue; // the previous vnic bundle of this process left it for us
            }
            kept.unmark(dev);
            CommandRunner.Result r = runner.run(ip.deleteLink(dev));
            done.add("delete device " + dev + (r.ok() ? "" : ": " + r.output()));
        }
        for (String line : done) {
            log.info("stale state from an earlier run: " + line);
        }
        return done;
    }

    private void undo(String device, Path journal, List<String> done) throws IOException {
        for (VnicJournal.Entry e : VnicJournal.read(journal)) {
            switch (e.kind()) {
                case "route4":
                case "route6":
                    CommandRunner.Result r = runner.run(ip.deleteRouteSpec(e.args(), e.kind().equals("route6")));
                    done.add("delete route " + String.join(" ", e.args()) + (r.ok() ? "" : ": " + r.output()));
                    break;
                case "resolv":
                    ResolvConfFile f = new ResolvConfFile(Path.of(e.args().get(0)),
                            VnicJournal.resolvBackup(settings.stateDir(), device));
                    done.add((f.restore() ? "restored " : "left (changed by someone else) ") + f.target());
                    break;
                default:
                    done.add("unknown journal entry ignored: " + e.line());
            }
        }
        Files.delete(journal);
    }

    /** Link names from {@code ip -o link show} lines such as {@code 7: mvpn0: <POINTOPOINT,...> ...}. */
    List<String> staleDevices() throws IOException {
        CommandRunner.Result r = runner.run(ip.listLinks());
        if (!r.ok()) {
            throw new IOException("cannot list links: " + r.output());
        }
        return devicesWithPrefix(r.output(), settings.namePrefix());
    }

    static List<String> devicesWithPrefix(String linkList, String prefix) {
        List<String> out = new ArrayList<>();
        for (String line : linkList.split("\n")) {
            String[] t = line.trim().split(":\\s+", 3);
            if (t.length >= 2) {
                String name = t[1];
                int at = name.indexOf('@');
                if (at >= 0) {
                    name = name.substring(0, at);
                }
                if (VnicSettings.isOwnDevice(name, prefix)) {
                    out.add(name);
                }
            }
        }
        return out;
    }
}
