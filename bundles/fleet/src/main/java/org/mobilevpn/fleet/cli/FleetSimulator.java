package org.mobilevpn.fleet.cli;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import javax.net.ssl.SSLSocketFactory;
import org.mobilevpn.fleet.AppliedRevisions;
import org.mobilevpn.fleet.BrokerBackoff;
import org.mobilevpn.fleet.FleetAgent;
import org.mobilevpn.fleet.FleetLog;
import org.mobilevpn.fleet.FleetSettings;
import org.mobilevpn.fleet.Json;
import org.mobilevpn.fleet.PahoBrokerLink;
import org.mobilevpn.fleet.SerialExecutor;
import org.mobilevpn.fleet.TlsContexts;
import org.mobilevpn.fleet.Topics;
import org.mobilevpn.fleet.sim.SimulatedDevice;

/**
 * Many fleet agents in one JVM against one broker, to size a broker and check the topic design under load:
 * each agent is the real {@link FleetAgent} with its own MQTT 5 session ({@link PahoBrokerLink}, its own TLS
 * identity) and a {@link SimulatedDevice} in place of the VPN. An operator session in the same process pushes
 * one group policy and times how long until every agent has applied it and reported it in its retained state.
 *
 * <pre>
 * mobilevpn-fleet simulate --agents 1000 --broker ssl://127.0.0.1:8883 --ca ca.pem --certs DIR \
 *     --operator-cert operator.pem --operator-key operator.key [--group sim] [--prefix sim-]
 * </pre>
 * {@code DIR} holds {@code <prefix><n>.cert.pem} and {@code <prefix><n>.key.pem} (PKCS#8) for n = 1..agents;
 * with a {@code tcp://} broker no certificates are used. The last line printed is {@code RESULT {json}}.
 */
final class FleetSimulator {
    private FleetSimulator() {
    }

    /** {@code mobilevpn-fleet simulate OPTIONS}: prints the result as one JSON line. */
    static void main(List<String> args) throws Exception {
        Map<String, String> o = new LinkedHashMap<>();
        for (int i = 0; i + 1 < args.size(); i += 2) {
            o.put(args.get(i), args.get(i + 1));
        }
        int agents = Integer.parseInt(o.getOrDefault("--agents", "10"));
        String prefix = o.getOrDefault("--prefix", "sim-");
        String group = o.getOrDefault("--group", "sim");
        URI broker = URI.create(o.get("--broker"));
        boolean tls = broker.getScheme().equals("ssl");
        Duration timeout = Duration.ofSeconds(Long.parseLong(o.getOrDefault("--timeout", "600")));
        run(agents, prefix, group, broker, tls ? Path.of(o.get("--ca")) : null, tls ? Path.of(o.get("--certs")) : null,
                o.get("--operator-cert"), o.get("--operator-key"), timeout);
    }

    private static Map<String, Object> run(int n, String prefix, String group, URI broker, Path ca, Path certs, String operatorCert,
            String operatorKey, Duration timeout) throws Exception {
        ScheduledExecutorService timers = Executors.newScheduledThreadPool(2);
        ExecutorService work = Executors.newFixedThreadPool(4);
        FleetLog quiet = FleetLog.stderr("[sim] ", false);
        List<FleetAgent> fleet = new ArrayList<>();
        List<PahoBrokerLink> links = new ArrayList<>();
        long start = System.nanoTime();
        for (int i = 1; i <= n; i++) {
            String id = prefix + i;
            Map<String, Object> cfg = new LinkedHashMap<>();
            cfg.put("broker", broker.toString());
            cfg.put("device_id", id);
            cfg.put("groups", group);
            cfg.put("allow_plain", String.valueOf(ca == null));
            cfg.put("state_interval", "1h");
            if (ca != null) {
                cfg.put("ca", ca.toString());
                cfg.put("cert", certs.resolve(id + ".cert.pem").toString());
                cfg.put("key", certs.resolve(id + ".key.pem").toString());
            }
            FleetSettings s = FleetSettings.parse(cfg, Path.of(""));
            SSLSocketFactory factory = ca == null ? null : tls(s.cert().get(), s.key().get(), ca);
            PahoBrokerLink link = new PahoBrokerLink(s.brokers(), id, factory, s.keepalive(), timers,
                    new BrokerBackoff(new SecureRandom()::nextDouble), quiet);
            SimulatedDevice device = new SimulatedDevice(i);
            FleetAgent agent = new FleetAgent(s, link, device, device, null, new AppliedRevisions(null), null,
                    new SerialExecutor(work), timers, Clock.systemUTC(), quiet);
            agent.start();
            fleet.add(agent);
            links.add(link);
        }
        awaitAll(links, timeout);
        double connectSeconds = (System.nanoTime() - start) / 1e9;
        System.err.println("[sim] " + n + " agents connected in " + connectSeconds + " s");

        Map<String, Object> result = new LinkedHashMap<>();
        Map<String, Object> opCfg = new LinkedHashMap<>();
        opCfg.put("broker", broker.toString());
        opCfg.put("device_id", "operator");
        opCfg.put("allow_plain", String.valueOf(ca == null));
        FleetSettings opSettings = FleetSettings.parse(opCfg, Path.of(""));
        SSLSocketFactory opTls = ca == null ? null : tls(Path.of(operatorCert), Path.of(operatorKey), ca);
        try (OperatorSession op = new OperatorSession(opSettings, opTls)) {
            long revision = System.currentTimeMillis();
            Set<String> reported = ConcurrentHashMap.newKeySet();
            op.onMessage((topic, payload) -> {
                try {
                    Object rev = Json.object(payload).get("revision");
                    if (rev instanceof Number r && r.longValue() == revision) {
                        reported.add(topic);
                    }
                } catch (Json.JsonException e) {
                    // not a state we count
                }
            });
            String doc = "{\"revision\": " + revision + ", \"profiles\": {\"office\": {\"remote_addrs\": \"198.51.100.1\"}}}";
            op.subscribe(Topics.ROOT + "/device/+/state");
            long pushed = System.nanoTime();
            op.publish(Topics.groupPolicy(group), doc.getBytes(StandardCharsets.UTF_8), true);
            long deadline = pushed + timeout.toNanos();
            long half = -1;
            long p99 = -1;
            long progress = pushed;
            while (reported.size() < n && System.nanoTime() < deadline) {
                if (System.nanoTime() - progress > 10_000_000_000L) {
                    progress = System.nanoTime();
                    System.err.println("[sim] " + reported.size() + " of " + n + " reported revision " + revision);
                }
                if (half < 0 && reported.size() >= n / 2) {
                    half = System.nanoTime();
                }
                if (p99 < 0 && reported.size() >= n * 99 / 100) {
                    p99 = System.nanoTime();
                }
                Thread.sleep(5);
            }
            long all = System.nanoTime();
            half = half < 0 && reported.size() >= n / 2 ? all : half; // the last poll may have seen these thresholds pass
            p99 = p99 < 0 && reported.size() >= n * 99 / 100 ? all : p99;
            System.gc();
            Runtime rt = Runtime.getRuntime();
            result.put("agents", n);
            result.put("reported", reported.size());
            result.put("connect_seconds", round(connectSeconds));
            result.put("policy_to_half_reported_seconds", half < 0 ? null : round((half - pushed) / 1e9));
            result.put("policy_to_99pct_reported_seconds", p99 < 0 ? null : round((p99 - pushed) / 1e9));
            result.put("policy_to_all_reported_seconds", reported.size() == n ? round((all - pushed) / 1e9) : null);
            result.put("heap_used_after_gc_mib", round((rt.totalMemory() - rt.freeMemory()) / 1048576.0));
            result.put("rss_mib", round(rssKib() / 1024.0));
            result.put("threads", ManagementFactory.getThreadMXBean().getThreadCount());
            System.out.println(Json.write(result)); // while every agent is still connected: the broker can be measured
            System.out.flush();
        }
        for (FleetAgent a : fleet) {
            a.stop();
        }
        timers.shutdownNow();
        work.shutdownNow();
        return result;
    }

    private static void awaitAll(List<PahoBrokerLink> links, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (links.stream().anyMatch(l -> !l.connected())) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(links.stream().filter(l -> !l.connected()).count() + " agents never connected");
            }
            Thread.sleep(50);
        }
    }

    private static SSLSocketFactory tls(Path cert, Path key, Path ca) throws IOException, GeneralSecurityException {
        OperatorCredentials.Credentials own = OperatorCredentials.read(cert, key, null);
        return TlsContexts.client(own.chain(), own.key(), OperatorCredentials.certificates(ca));
    }

    private static double round(double v) {
        return Math.round(v * 1000) / 1000.0;
    }

    private static long rssKib() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", ""));
            }
        }
        return -1;
    }
}
