package io.mintaro.cli.internal.tui;

import com.fasterxml.jackson.databind.JsonNode;
import io.mintaro.cli.internal.CliException;
import java.util.ArrayList;
import java.util.List;

/**
 * The TUI's connection: the API, the namespace and service chosen, and the last error, which
 * the status bar shows. A failed call is reported there and answers null; it never ends the TUI.
 */
final class Session {
    private final CollectorApi api;
    private List<String> namespaces = List.of();
    private String namespace = "";
    private List<String> services = List.of();
    /** The service chosen, null for all. */
    private String service;
    private String message = "";
    private boolean error;

    Session(CollectorApi api) {
        this.api = api;
    }

    String base() {
        return api.base();
    }

    CollectorApi api() {
        return api;
    }

    /** Reads the key's namespaces and the namespace's services. */
    void connect() {
        JsonNode ns = call(() -> api.get("/api/namespaces"));
        if (ns != null) {
            List<String> names = new ArrayList<>();
            ns.path("namespaces").forEach(n -> names.add(n.asText()));
            namespaces = names;
            namespace = ns.path("current").asText("");
        }
        loadServices();
    }

    private void loadServices() {
        JsonNode r = get("/api/services");
        List<String> names = new ArrayList<>();
        if (r != null) {
            r.path("services").forEach(s -> names.add(s.path("name").asText()));
        }
        services = names;
        if (service != null && !services.contains(service)) {
            service = null;
        }
    }

    String namespace() {
        return namespace;
    }

    String service() {
        return service;
    }

    /** The next namespace the key may read (wrapping); true when it changed. */
    boolean nextNamespace() {
        if (namespaces.size() < 2) {
            report("the key reads only namespace " + namespace);
            return false;
        }
        namespace = namespaces.get((namespaces.indexOf(namespace) + 1) % namespaces.size());
        service = null;
        loadServices();
        return true;
    }

    /** All services, then each service in turn (wrapping); true when it changed. */
    boolean nextService() {
        if (services.isEmpty()) {
            report("no services in namespace " + namespace);
            return false;
        }
        int i = service == null ? -1 : services.indexOf(service);
        service = i + 1 >= services.size() ? null : services.get(i + 1);
        return true;
    }

    /** GET with the chosen namespace; null (and the error in the status bar) on failure. */
    JsonNode get(String path, Object... params) {
        Object[] p = params;
        if (namespaces.size() > 1 && !namespace.isEmpty()) {
            p = java.util.Arrays.copyOf(params, params.length + 2);
            p[params.length] = "namespace";
            p[params.length + 1] = namespace;
        }
        Object[] withNamespace = p;
        return call(() -> api.get(path, withNamespace));
    }

    JsonNode put(String path, JsonNode body) {
        String p = namespaces.size() > 1 && !namespace.isEmpty() ? path + "?namespace=" + namespace : path;
        return call(() -> api.put(p, body));
    }

    private JsonNode call(java.util.function.Supplier<JsonNode> call) {
        try {
            JsonNode r = call.get();
            if (error) {
                message = "";
                error = false;
            }
            return r;
        } catch (CliException e) {
            fail(e.getMessage());
            return null;
        } catch (RuntimeException e) {
            fail("unexpected failure: " + e);
            return null;
        }
    }

    void fail(String text) {
        message = oneLine(text);
        error = true;
    }

    void report(String text) {
        message = oneLine(text);
        error = false;
    }

    String message() {
        return message;
    }

    boolean error() {
        return error;
    }

    static String oneLine(String s) {
        if (s == null) {
            return "";
        }
        int nl = s.indexOf('\n');
        String first = nl < 0 ? s : s.substring(0, nl);
        return first.replace('\r', ' ').replace('\t', ' ').strip();
    }
}
