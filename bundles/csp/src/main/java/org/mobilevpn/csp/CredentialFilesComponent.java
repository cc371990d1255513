package org.mobilevpn.csp;

import java.io.IOException;
import java.nio.file.Path;
import org.mobilevpn.api.profile.CredentialFiles;
import org.osgi.service.component.annotations.Component;

/** The profiles' credential reader ({@link CredentialLoader}) for other bundles. */
@Component(service = CredentialFiles.class)
public final class CredentialFilesComponent implements CredentialFiles {
    private final CredentialLoader loader = new CredentialLoader();

    @Override
    public Content read(Path file, char[] password) throws IOException {
        try {
            CredentialLoader.Credentials c = loader.read(file, password);
            return new Content(c.certificates(), c.key());
        } catch (CredentialException e) {
            throw new IOException(e.getMessage());
        }
    }
}
