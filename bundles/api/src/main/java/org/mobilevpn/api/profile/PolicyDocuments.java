package org.mobilevpn.api.profile;

/**
 * The CSP's policy-document path as a service: a JSON document holding several profiles
 * ({@code {"profiles": {...}, "delete": [...]}}, the format of {@code etc/mobilevpn-policy.json}) is
 * validated completely and applied to ConfigAdmin all or nothing. Each document has a {@code source}
 * (a file path, an MQTT topic); the profiles it created belong to it, so a later version that drops a
 * profile, or {@link #withdraw}, deletes them again. A rejected document changes nothing: profiles and
 * the connections running on them stay as they were.
 */
public interface PolicyDocuments {

    /**
     * Validates and applies one document. Never throws: every problem is in the outcome.
     *
     * @param source names the document (e.g. {@code mqtt:mobilevpn/v1/group/office/policy}); the
     *               profiles it creates carry it
     * @param json   the document; holds secrets, so it is never logged or echoed in a problem
     */
    PolicyDocumentOutcome apply(String source, String json);

    /** The document of {@code source} is gone: deletes the profiles it created. Never throws. */
    PolicyDocumentOutcome withdraw(String source);
}
