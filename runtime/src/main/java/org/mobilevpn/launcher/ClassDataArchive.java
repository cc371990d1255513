package org.mobilevpn.launcher;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import javax.management.JMException;
import javax.management.ObjectName;

/**
 * Writes the class data sharing archive that later starts of this runtime map (JDK 17's dynamic CDS: the
 * classes this run loaded, the bundles' included), while the runtime runs instead of when it stops: the JVM's
 * {@code VM.cds dynamic_dump} diagnostic command, which needs {@code -XX:+RecordDynamicDumpInfo}. bin/mobilevpn
 * asks for it (system property {@link #PROPERTY}) when etc/jvm.options names an archive that is missing or
 * older than a jar. The dump stops the JVM at a safepoint while it copies the classes (about a second; a
 * tunnel's packets wait that long once), so it is taken once start-up is over. The class path is relative to
 * the runtime's directory (bin/mobilevpn runs from there), so the archive stays valid when the directory is
 * copied or moved with its files' times (cp -a, tar).
 */
final class ClassDataArchive {
    /** The system property naming the archive to write. */
    static final String PROPERTY = "mobilevpn.cds.archive";

    private ClassDataArchive() {
    }

    /** Writes the archive {@code delay} from now, from a thread of its own, if this JVM was asked to. */
    static void writeLater(Duration delay) {
        String archive = System.getProperty(PROPERTY);
        if (archive == null || archive.isBlank()) {
            return;
        }
        Thread writer = new Thread(() -> {
            try {
                Thread.sleep(delay.toMillis());
                write(Path.of(archive));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "mobilevpn-cds-archive");
        writer.setDaemon(true);
        writer.start();
    }

    private static void diagnosticCommand(String operation, String... arguments) throws JMException {
        ManagementFactory.getPlatformMBeanServer().invoke(new ObjectName("com.sun.management:type=DiagnosticCommand"),
                operation, new Object[] {arguments}, new String[] {String[].class.getName()});
    }

    private static void write(Path archive) {
        Path partial = archive.resolveSibling(archive.getFileName() + ".partial");
        try {
            Files.createDirectories(archive.toAbsolutePath().getParent());
            Files.deleteIfExists(partial);
            long start = System.nanoTime();
            diagnosticCommand("vmCds", "dynamic_dump", partial.toString());
            // the dump's working memory is malloc'd and freed: glibc keeps it (tens of MiB) until it is trimmed
            diagnosticCommand("systemTrimNativeHeap");
            if (!Files.isRegularFile(partial)) {
                System.err.println("mobilevpn: the JVM wrote no class data archive to " + partial);
                return;
            }
            // a later start sees the archive whole or not at all
            Files.move(partial, archive, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            System.err.println("mobilevpn: wrote the class data archive " + archive + " in "
                    + Duration.ofNanos(System.nanoTime() - start).toMillis() + " ms; the next start maps it");
        } catch (JMException | IOException | RuntimeException e) {
            System.err.println("mobilevpn: cannot write the class data archive " + archive + ": " + e);
        }
    }
}
