package io.mintaro.collector;

import static io.mintaro.collector.Records.T0_US;
import static io.mintaro.collector.Records.traceId;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Browser sessions (docs/api.md, "Browser sessions"): an API key buys an HttpOnly, SameSite=Strict
 * cookie that works in place of the key; writes with it must be JSON; the store keeps only a hash.
 */
class SessionTest {
    static final String PAYMENTS = "b000000000000001";
    static final String TRACE = traceId(0x901);
    static final String FINGERPRINT = GroupsTest.fingerprint("payments", "POST /payments", "HTTP 503");
    static final Map<String, String> JSON = Map.of("Content-Type", "application/json");

    @TempDir
    Path dir;
    TestCollector c;

    @BeforeEach
    void start() {
        c = TestCollector.start(dir);
        c.register(PAYMENTS, "payments");
        ObjectNode b = GroupsTest.served(PAYMENTS, TRACE, 1, null, "POST /payments", T0_US, 3_000, 503);
        c.postBatch(Records.trigger(b, TRACE, "error", "HTTP 503", T0_US / 1000));
    }

    @AfterEach
    void stop() {
        c.close();
    }

    @Test
    void signingInSetsAnHttpOnlyStrictSessionCookieForTwelveHours() {
        HttpResponse<String> r = c.raw("POST", "/api/session", "{\"apiKey\": \"" + TestCollector.KEY + "\"}", JSON);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(204);
        Map<String, String> cookie = parseSetCookie(r);
        assertThat(cookie.get("mintaro_session")).matches("[A-Za-z0-9_-]{43}"); // 256 random bits
        assertThat(cookie).containsEntry("httponly", "").containsEntry("samesite", "Strict")
                .containsEntry("path", "/").containsEntry("max-age", "43200");
        assertThat(cookie).doesNotContainKey("secure"); // plain HTTP here
    }

    @Test
    void theStoreKeepsOnlyTheSha256OfTheSessionId() throws Exception {
        String id = signIn();
        try (Connection db = c.connect();
             PreparedStatement ps = db.prepareStatement("SELECT id_sha256, created_at_ms, expires_at_ms FROM sessions");
             ResultSet rs = ps.executeQuery()) {
            assertThat(rs.next()).isTrue();
            assertThat(rs.getString(1)).isEqualTo(sha256(id)).doesNotContain(id);
            assertThat(rs.getLong(3) - rs.getLong(2)).isEqualTo(43_200_000L);
            assertThat(rs.next()).isFalse();
        }
    }

    @Test
    void theCookieWorksInPlaceOfTheKeyOnEveryApiEndpoint() {
        String id = signIn();
        for (String path : List.of("/api/traces", "/api/traces/" + TRACE, "/api/services", "/api/groups",
                "/api/groups/" + FINGERPRINT, "/api/groups/" + FINGERPRINT + "/traces", "/api/slow")) {
            HttpResponse<String> withCookie = c.raw("GET", path, null, Map.of("Cookie", "mintaro_session=" + id));
            assertThat(withCookie.statusCode()).as(path + ": " + withCookie.body()).isEqualTo(200);
            HttpResponse<String> without = c.raw("GET", path, null, Map.of());
            assertThat(without.statusCode()).as(path).isEqualTo(401);
            assertThat(TestCollector.json(without).get("error").asText()).contains("Authorization");
        }
        HttpResponse<String> triage = c.raw("PUT", "/api/groups/" + FINGERPRINT + "/triage", "{\"level\": \"warn\"}",
                Map.of("Cookie", "mintaro_session=" + id, "Content-Type", "application/json"));
        assertThat(triage.statusCode()).as(triage.body()).isEqualTo(200);
        assertThat(TestCollector.json(triage).get("triage").get("level").asText()).isEqualTo("warn");
    }

    @Test
    void writesWithTheCookieMustBeJsonSoThatNoOtherSiteCanForgeThem() {
        String id = signIn();
        String body = "{\"mark\": \"silenced\"}";
        for (String type : new String[] {"text/plain", "application/x-www-form-urlencoded", "multipart/form-data",
                null}) {
            Map<String, String> headers = new LinkedHashMap<>();
            headers.put("Cookie", "mintaro_session=" + id);
            if (type != null) {
                headers.put("Content-Type", type);
            }
            HttpResponse<String> r = c.raw("PUT", "/api/groups/" + FINGERPRINT + "/triage", body, headers);
            assertThat(r.statusCode()).as(String.valueOf(type)).isEqualTo(415);
            assertThat(TestCollector.json(r).get("error").asText()).contains("Content-Type: application/json");
        }
        assertThat(c.getJson("/api/groups/" + FINGERPRINT).get("triage").get("mark").asText()).isEqualTo("none");

        HttpResponse<String> json = c.raw("PUT", "/api/groups/" + FINGERPRINT + "/triage", body,
                Map.of("Cookie", "mintaro_session=" + id, "Content-Type", "application/json; charset=utf-8"));
        assertThat(json.statusCode()).as(json.body()).isEqualTo(200);
        assertThat(TestCollector.json(json).get("triage").get("mark").asText()).isEqualTo("silenced");

        // A bearer key is never sent by a browser on its own: no such rule for it.
        HttpResponse<String> withKey = c.raw("PUT", "/api/groups/" + FINGERPRINT + "/triage", "{\"mark\": \"none\"}",
                Map.of("Authorization", "Bearer " + TestCollector.KEY, "Content-Type", "text/plain"));
        assertThat(withKey.statusCode()).as(withKey.body()).isEqualTo(200);
    }

    @Test
    void aBadSignInIsRefusedWithoutACookie() {
        HttpResponse<String> wrongKey = c.raw("POST", "/api/session", "{\"apiKey\": \"not-the-key-123\"}", JSON);
        assertThat(wrongKey.statusCode()).isEqualTo(401);
        assertThat(wrongKey.headers().firstValue("Set-Cookie")).isEmpty();

        HttpResponse<String> noKey = c.raw("POST", "/api/session", "{}", JSON);
        assertThat(noKey.statusCode()).isEqualTo(400);
        assertThat(TestCollector.json(noKey).get("error").asText()).startsWith("apiKey");
        assertThat(c.raw("POST", "/api/session", "{\"apiKey\": ", JSON).statusCode()).isEqualTo(400);

        // A cross-site form could post this; it cannot send JSON.
        HttpResponse<String> form = c.raw("POST", "/api/session", "apiKey=" + TestCollector.KEY,
                Map.of("Content-Type", "application/x-www-form-urlencoded"));
        assertThat(form.statusCode()).isEqualTo(415);
        assertThat(form.headers().firstValue("Set-Cookie")).isEmpty();
    }

    @Test
    void signingOutEndsTheSessionAndClearsTheCookie() throws Exception {
        String id = signIn();
        Map<String, String> cookie = Map.of("Cookie", "mintaro_session=" + id);
        // Signing out is a write too.
        assertThat(c.raw("DELETE", "/api/session", null, cookie).statusCode()).isEqualTo(415);
        assertThat(c.raw("GET", "/api/traces", null, cookie).statusCode()).isEqualTo(200);

        HttpResponse<String> out = c.raw("DELETE", "/api/session", null,
                Map.of("Cookie", "mintaro_session=" + id, "Content-Type", "application/json"));
        assertThat(out.statusCode()).isEqualTo(204);
        Map<String, String> cleared = parseSetCookie(out);
        assertThat(cleared).containsEntry("mintaro_session", "").containsEntry("max-age", "0")
                .containsEntry("path", "/");
        assertThat(c.raw("GET", "/api/traces", null, cookie).statusCode()).isEqualTo(401);
        assertThat(sessionRows()).isZero();
    }

    @Test
    void anExpiredSessionIsRefusedAndItsCookieCleared() throws Exception {
        String id = signIn();
        try (Connection db = c.connect();
             PreparedStatement ps = db.prepareStatement("UPDATE sessions SET expires_at_ms = ?")) {
            ps.setLong(1, System.currentTimeMillis() - 1);
            ps.executeUpdate();
        }
        HttpResponse<String> r = c.raw("GET", "/api/groups", null, Map.of("Cookie", "mintaro_session=" + id));
        assertThat(r.statusCode()).isEqualTo(401);
        assertThat(TestCollector.json(r).get("error").asText()).contains("expired");
        assertThat(parseSetCookie(r)).containsEntry("mintaro_session", "").containsEntry("max-age", "0");

        // The next sign-in also sweeps expired sessions away.
        signIn();
        assertThat(sessionRows()).isEqualTo(1);
    }

    @Test
    void aForgedCookieIsRefused() {
        signIn();
        HttpResponse<String> r = c.raw("GET", "/api/traces", null,
                Map.of("Cookie", "mintaro_session=" + "A".repeat(43)));
        assertThat(r.statusCode()).isEqualTo(401);
    }

    @Test
    void aSessionSurvivesACollectorRestart() {
        String id = signIn();
        c.close();
        c = TestCollector.start(dir);
        assertThat(c.raw("GET", "/api/groups", null, Map.of("Cookie", "mintaro_session=" + id)).statusCode())
                .isEqualTo(200);
    }

    @Test
    void healthAndSignInNeedNoKey() {
        assertThat(c.raw("GET", "/api/health", null, Map.of()).statusCode()).isEqualTo(200);
        assertThat(c.raw("POST", "/api/session", "{\"apiKey\": \"" + TestCollector.KEY + "\"}", JSON).statusCode())
                .isEqualTo(204);
    }

    String signIn() {
        HttpResponse<String> r = c.raw("POST", "/api/session", "{\"apiKey\": \"" + TestCollector.KEY + "\"}", JSON);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(204);
        return parseSetCookie(r).get("mintaro_session");
    }

    long sessionRows() throws Exception {
        try (Connection db = c.connect();
             ResultSet rs = db.createStatement().executeQuery("SELECT count(*) FROM sessions")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /** The Set-Cookie header as name → value: the cookie itself, then attributes in lower case. */
    static Map<String, String> parseSetCookie(HttpResponse<String> r) {
        List<String> all = r.headers().allValues("Set-Cookie");
        assertThat(all).hasSize(1);
        return Arrays.stream(all.get(0).split(";")).map(String::trim).collect(Collectors.toMap(
                part -> {
                    String name = part.contains("=") ? part.substring(0, part.indexOf('=')) : part;
                    return name.equals("mintaro_session") ? name : name.toLowerCase();
                },
                part -> part.contains("=") ? part.substring(part.indexOf('=') + 1) : "",
                (a, b) -> a, LinkedHashMap::new));
    }

    static String sha256(String s) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
    }
}
