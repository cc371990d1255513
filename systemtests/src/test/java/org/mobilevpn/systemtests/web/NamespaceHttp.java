package org.mobilevpn.systemtests.web;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.mobilevpn.testsupport.CommandResult;
import org.mobilevpn.testsupport.Netns;

/**
 * Plain HTTP requests made from inside a network namespace, where the runtime's Web Console and metrics
 * listen on that namespace's own 127.0.0.1 (the test JVM lives in the root namespace and cannot reach
 * them). The request is made by Debian's python3 (installed by scripts/install-deps.sh, curl is not)
 * with {@code ip netns exec}; redirects are NOT followed, so the status the server sent is what the test
 * sees; the body travels back base64-encoded, so binary answers (the support zip) arrive intact.
 */
final class NamespaceHttp {

    /** What the server answered. Header names are lower case. */
    record Response(int status, Map<String, String> headers, byte[] body) {
        String text() {
            return new String(body, StandardCharsets.UTF_8);
        }

        String header(String name) {
            return headers.getOrDefault(name.toLowerCase(Locale.ROOT), "");
        }

        @Override
        public String toString() {
            String t = text();
            return "HTTP " + status + " " + headers + "\n" + t.substring(0, Math.min(2000, t.length()));
        }
    }

    /** One request: method, URL, optional basic credentials, optional body, extra headers; prints status, headers, body. */
    private static final String SCRIPT = String.join("\n",
            "import base64, sys, urllib.request, urllib.error",
            "method, url, creds, body = sys.argv[1:5]",
            "class NoRedirect(urllib.request.HTTPRedirectHandler):",
            "    def redirect_request(self, *args, **kwargs):",
            "        return None",
            "opener = urllib.request.build_opener(NoRedirect)",
            "data = base64.b64decode(body) if body != '-' else None",
            "req = urllib.request.Request(url, data=data, method=method)",
            "if creds != '-':",
            "    req.add_header('Authorization', 'Basic ' + base64.b64encode(creds.encode()).decode())",
            "for h in sys.argv[5:]:",
            "    k, v = h.split(':', 1)",
            "    req.add_header(k.strip(), v.strip())",
            "try:",
            "    r = opener.open(req, timeout=30)",
            "    status, headers, payload = r.status, r.headers, r.read()",
            "except urllib.error.HTTPError as e:",
            "    status, headers, payload = e.code, e.headers, e.read()",
            "print('STATUS', status)",
            "for k, v in headers.items():",
            "    print('HEADER', k + ':', v)",
            "print('BODY', base64.b64encode(payload).decode())",
            "");

    private final Netns netns;

    NamespaceHttp(Netns netns) {
        this.netns = netns;
    }

    Response get(String url, String credentials) {
        return request("GET", url, credentials, null, Map.of());
    }

    /** A form POST ({@code application/x-www-form-urlencoded}); fields are encoded here. */
    Response postForm(String url, String credentials, Map<String, String> fields, Map<String, String> headers) {
        StringBuilder form = new StringBuilder();
        for (Map.Entry<String, String> f : fields.entrySet()) {
            if (form.length() > 0) {
                form.append('&');
            }
            form.append(java.net.URLEncoder.encode(f.getKey(), StandardCharsets.UTF_8)).append('=')
                    .append(java.net.URLEncoder.encode(f.getValue(), StandardCharsets.UTF_8));
        }
        Map<String, String> all = new LinkedHashMap<>(headers);
        all.put("Content-Type", "application/x-www-form-urlencoded");
        return request("POST", url, credentials, form.toString().getBytes(StandardCharsets.UTF_8), all);
    }

    /**
     * @param credentials {@code user:password} for HTTP Basic, or null for none
     * @param body request body or null
     */
    Response request(String method, String url, String credentials, byte[] body, Map<String, String> headers) {
        List<String> argv = new ArrayList<>(List.of(python(), "-c", SCRIPT, method, url,
                credentials == null ? "-" : credentials,
                body == null ? "-" : Base64.getEncoder().encodeToString(body)));
        headers.forEach((k, v) -> argv.add(k + ": " + v));
        CommandResult r = netns.exec(Duration.ofSeconds(60), argv.toArray(String[]::new));
        if (!r.ok()) {
            throw new AssertionError(method + " " + url + " in " + netns.name() + " failed to run: " + r.stderr());
        }
        int status = -1;
        Map<String, String> hdrs = new LinkedHashMap<>();
        byte[] payload = null;
        for (String line : r.lines()) {
            if (line.startsWith("STATUS ")) {
                status = Integer.parseInt(line.substring(7).strip());
            } else if (line.startsWith("HEADER ")) {
                int colon = line.indexOf(':');
                hdrs.merge(line.substring(7, colon).strip().toLowerCase(Locale.ROOT), line.substring(colon + 1).strip(),
                        (a, b) -> a + ", " + b);
            } else if (line.startsWith("BODY ")) {
                payload = Base64.getDecoder().decode(line.substring(5).strip());
            }
        }
        if (status < 0 || payload == null) {
            throw new AssertionError(method + " " + url + ": unreadable answer: " + r.stdout() + r.stderr());
        }
        return new Response(status, hdrs, payload);
    }

    /** Debian's interpreter when present (CI), else whatever python3 PATH has. */
    private static String python() {
        return Files.isExecutable(Path.of("/usr/bin/python3")) ? "/usr/bin/python3" : "python3";
    }
}
