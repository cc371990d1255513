package org.mobilevpn.webconsole;

import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.WriteListener;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.ByteArrayOutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

/**
 * Servlet request and response stand-ins built with dynamic proxies: the request answers what a test
 * sets (method, path, parameters, headers, user, attributes); the response records status, headers
 * and body. Methods a test does not set answer null, false or -1.
 */
final class ServletFakes {

    private ServletFakes() {
    }

    static final class Request {
        String method = "GET";
        String pathInfo = "/vpn";
        String remoteUser = "admin";
        final Map<String, String> parameters = new HashMap<>();
        final Map<String, String> headers = new HashMap<>();
        final Map<String, Object> attributes = new HashMap<>(Map.of("felix.webconsole.pluginRoot", "/system/console/vpn"));

        Request param(String name, String value) {
            parameters.put(name, value);
            return this;
        }

        Request header(String name, String value) {
            headers.put(name, value);
            return this;
        }

        HttpServletRequest proxy() {
            return (HttpServletRequest) Proxy.newProxyInstance(getClass().getClassLoader(),
                    new Class<?>[] {HttpServletRequest.class}, (p, m, args) -> {
                        switch (m.getName()) {
                            case "getMethod": return method;
                            case "getPathInfo": return pathInfo;
                            case "getRemoteUser": return remoteUser;
                            case "getParameter": return parameters.get((String) args[0]);
                            case "getHeader": return headers.get((String) args[0]);
                            case "getAttribute": return attributes.get((String) args[0]);
                            case "getRemoteAddr": return "127.0.0.1";
                            case "getContextPath": return "";
                            case "getServletPath": return "/system/console";
                            case "getProtocol": return "HTTP/1.1";
                            default: return defaultValue(m.getReturnType());
                        }
                    });
        }
    }

    static final class Response {
        int status = 200;
        String contentType;
        final Map<String, String> headers = new HashMap<>();
        final StringWriter writer = new StringWriter();
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        boolean committed;

        String body() {
            return writer + bytes.toString(StandardCharsets.UTF_8);
        }

        HttpServletResponse proxy() {
            ServletOutputStream out = new ServletOutputStream() {
                @Override
                public boolean isReady() {
                    return true;
                }

                @Override
                public void setWriteListener(WriteListener l) {
                }

                @Override
                public void write(int b) {
                    bytes.write(b);
                }
            };
            PrintWriter printWriter = new PrintWriter(writer);
            return (HttpServletResponse) Proxy.newProxyInstance(getClass().getClassLoader(),
                    new Class<?>[] {HttpServletResponse.class}, (p, m, args) -> {
                        switch (m.getName()) {
                            case "setStatus": status = (Integer) args[0]; return null;
                            case "sendError": status = (Integer) args[0]; committed = true; return null;
                            case "setContentType": contentType = (String) args[0]; return null;
                            case "setHeader": case "addHeader": headers.put((String) args[0], String.valueOf(args[1])); return null;
                            case "getWriter": return printWriter;
                            case "getOutputStream": return out;
                            case "isCommitted": return committed;
                            default: return defaultValue(m.getReturnType());
                        }
                    });
        }
    }

    private static Object defaultValue(Class<?> type) {
        if (type == boolean.class) {
            return false;
        }
        if (type == int.class) {
            return -1;
        }
        if (type == long.class) {
            return -1L;
        }
        return null;
    }
}
