package io.mintaro.it.replicas;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.mintaro.testkit.servers.PostgresCluster;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The UI and the REST API through any replica: a browser behind a load balancer lands on a different
 * replica at each request, so a session started at one must work at every other, and end at all of
 * them when it is ended at one.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@ExtendWith(Replicas.PrintLogsOnFailure.class)
class SessionsAcrossReplicasTest {
    static final Pattern SESSION = Pattern.compile("mintaro_session=([A-Za-z0-9_-]+)");
    static final Map<String, String> JSON = Map.of("Content-Type", "application/json");

    PostgresCluster cluster;
    Replicas replicas;

    @BeforeAll
    void start() {
        cluster = SharedCluster.get();
        replicas = Replicas.builder(cluster, SharedCluster.database(getClass()))
                .count(3)
                .logs(Replicas.logDir(getClass()))
                .start();
    }

    @AfterAll
    void stop() {
        if (replicas != null) {
            replicas.close();
        }
    }

    String r(int i) {
        return replicas.url(i);
    }

    /** Every replica, then HAProxy. */
    List<String> everywhere() {
        List<String> urls = new ArrayList<>(replicas.numbers().mapToObj(this::r).toList());
        urls.add(replicas.lbUrl());
        return urls;
    }

    @Test
    void aSessionStartedAtOneReplicaWorksAtEveryReplicaUntilItIsEndedAtAny() {
        String cookie = signIn(r(1));
        for (String url : everywhere()) {
            HttpResponse<String> traces = withCookie("GET", url, "/api/traces", cookie);
            assertThat(traces.statusCode()).as("GET /api/traces at %s: %s", url, traces.body()).isEqualTo(200);
        }

        HttpResponse<String> out = Api.send("DELETE", r(3), "/api/session", null,
                Map.of("Cookie", cookie, "Content-Type", "application/json"));
        assertThat(out.statusCode()).as(out.body()).isEqualTo(204);

        for (String url : everywhere()) {
            HttpResponse<String> traces = withCookie("GET", url, "/api/traces", cookie);
            assertThat(traces.statusCode()).as("GET /api/traces at %s after signing out: %s", url, traces.body())
                    .isEqualTo(401);
        }
    }

    /** A write with the cookie at one replica (a triage) is what another replica reads. */
    @Test
    void aTriageWrittenWithTheSessionAtOneReplicaIsReadAtAnother() {
        FakeAgent payments = new FakeAgent("payments");
        payments.register(r(1));
        String t = FakeAgent.newTraceId();
        payments.postBatch(r(1), payments.trigger(t));
        String fingerprint = null;
        for (JsonNode g : Api.json(Api.get(r(2), "/api/groups").body()).path("groups")) {
            if (g.path("lastTraceId").asText().equals(t)) {
                fingerprint = g.path("fingerprint").asText();
            }
        }
        assertThat(fingerprint).as("the group of trace %s at replica 2", t).isNotNull();

        String cookie = signIn(r(3));
        HttpResponse<String> triage = Api.send("PUT", r(2), "/api/groups/" + fingerprint + "/triage",
                "{\"level\": \"warn\", \"note\": \"seen at replica 2\"}",
                Map.of("Cookie", cookie, "Content-Type", "application/json"));
        assertThat(triage.statusCode()).as(triage.body()).isEqualTo(200);

        JsonNode group = Api.json(withCookie("GET", r(1), "/api/groups/" + fingerprint, cookie).body());
        assertThat(group.path("triage").path("level").asText()).isEqualTo("warn");
        assertThat(group.path("triage").path("note").asText()).isEqualTo("seen at replica 2");
    }

    @Test
    void theUiIsServedByEveryReplica() {
        for (String url : everywhere()) {
            for (String path : List.of("/", "/login", "/ui/app.js", "/ui/style.css")) {
                HttpResponse<String> page = Api.send("GET", url, path, null, Map.of());
                assertThat(page.statusCode()).as("GET %s at %s", path, url).isEqualTo(200);
                assertThat(page.body()).as("GET %s at %s", path, url).isNotEmpty();
            }
        }
    }

    static String signIn(String url) {
        HttpResponse<String> r = Api.send("POST", url, "/api/session", "{\"apiKey\": \"" + Replicas.KEY + "\"}", JSON);
        assertThat(r.statusCode()).as("sign in at %s: %s", url, r.body()).isEqualTo(204);
        String setCookie = r.headers().firstValue("Set-Cookie").orElseThrow();
        Matcher m = SESSION.matcher(setCookie);
        assertThat(m.find()).as(setCookie).isTrue();
        return "mintaro_session=" + m.group(1);
    }

    static HttpResponse<String> withCookie(String method, String url, String path, String cookie) {
        return Api.send(method, url, path, null, Map.of("Cookie", cookie));
    }
}
