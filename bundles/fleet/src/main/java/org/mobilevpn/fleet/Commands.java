package org.mobilevpn.fleet;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import org.mobilevpn.api.policy.ConnectionStatus;

/**
 * The command topic, an MQTT 5 request/response exchange: the request names its response topic and
 * correlation data, and the answer goes there with the same correlation data. Requests:
 * {@code {"command": "up"|"down", "name": N}}, {@code {"command": "status"}} (optionally {@code name}),
 * {@code {"command": "reload"}} (apply the latest desired documents again) and {@code {"command": "deploy",
 * ...}} ({@link BundleImage}). Answers: {@code {"command", "ok", "result"}} or {@code {"command", "ok": false,
 * "error"}}. A device publishes only inside its own subtree (the broker's ACL says so too), so a response
 * topic elsewhere is refused, with the refusal sent to {@code mobilevpn/v1/device/<id>/response}.
 */
final class Commands {
    private final FleetAgent agent;

    Commands(FleetAgent agent) {
        this.agent = agent;
    }

    void handle(byte[] payload, String responseTopic, byte[] correlation) {
        String deviceId = agent.settings().deviceId();
        if (responseTopic != null && !Topics.isResponseTopic(deviceId, responseTopic)) {
            respond(Topics.responses(deviceId), correlation, error("?", "response topic '" + responseTopic
                    + "' is outside this device's subtree: use " + Topics.responses(deviceId) + "/<requester>"));
            return;
        }
        Map<String, Object> answer;
        String command = "?";
        try {
            Map<String, Object> request = Json.command(payload);
            command = request.get("command") instanceof String c ? c : "?";
            answer = run(command, request);
        } catch (Json.JsonException e) {
            answer = error(command, "the request " + e.getMessage());
        } catch (IllegalArgumentException | IllegalStateException e) {
            answer = error(command, e.getMessage());
        } catch (BundleImage.RefusedException e) {
            answer = error(command, e.getMessage());
        }
        agent.log().info("command " + command + ": " + (Boolean.TRUE.equals(answer.get("ok")) ? "done" : answer.get("error")));
        if (responseTopic != null) {
            respond(responseTopic, correlation, answer);
        }
    }

    private Map<String, Object> run(String command, Map<String, Object> request) throws BundleImage.RefusedException {
        switch (command) {
            case "status": {
                Map<String, Object> state = agent.state(true);
                if (request.get("name") instanceof String name) {
                    return ok(command, agent.vpn().status(name).map(StateDocument::connection)
                            .orElseThrow(() -> new IllegalArgumentException("no connection named '" + name + "'")));
                }
                return ok(command, state);
            }
            case "up": {
                ConnectionStatus s = agent.vpn().connect(name(request));
                agent.stateSoon();
                return ok(command, StateDocument.connection(s));
            }
            case "down": {
                ConnectionStatus s = agent.vpn().disconnect(name(request));
                agent.stateSoon();
                return ok(command, StateDocument.connection(s));
            }
            case "reload":
                return ok(command, agent.reload());
            case "deploy": {
                if (agent.deployer() == null) {
                    throw new IllegalStateException("this agent cannot deploy bundles");
                }
                BundleImage image = BundleImage.from(request, agent.settings().requireSigned(), agent.signer());
                return ok(command, agent.deployer().deploy(image));
            }
            default:
                throw new IllegalArgumentException("unknown command '" + command + "': use up, down, status, reload or deploy");
        }
    }

    private static String name(Map<String, Object> request) {
        if (request.get("name") instanceof String n && !n.isBlank()) {
            return n.strip();
        }
        throw new IllegalArgumentException("name: missing: the connection to act on");
    }

    private static Map<String, Object> ok(String command, Object result) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("command", command);
        m.put("ok", true);
        m.put("result", result);
        return m;
    }

    private static Map<String, Object> error(String command, String message) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("command", command);
        m.put("ok", false);
        m.put("error", message);
        return m;
    }

    private void respond(String topic, byte[] correlation, Map<String, Object> answer) {
        agent.publish(topic, Json.write(answer).getBytes(StandardCharsets.UTF_8), 1, false, correlation);
    }
}
