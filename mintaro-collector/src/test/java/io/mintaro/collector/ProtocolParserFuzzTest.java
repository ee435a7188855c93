package io.mintaro.collector;

import static io.mintaro.collector.Records.T0_US;
import static io.mintaro.collector.Records.batch;
import static io.mintaro.collector.Records.breadcrumb;
import static io.mintaro.collector.Records.counted;
import static io.mintaro.collector.Records.entry;
import static io.mintaro.collector.Records.event;
import static io.mintaro.collector.Records.log;
import static io.mintaro.collector.Records.message;
import static io.mintaro.collector.Records.occurrence;
import static io.mintaro.collector.Records.span;
import static io.mintaro.collector.Records.spanId;
import static io.mintaro.collector.Records.traceId;
import static io.mintaro.collector.Records.trigger;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.mintaro.collector.agent.ProtocolParser;
import io.mintaro.collector.internal.ApiException;
import io.mintaro.collector.internal.Json;
import io.mintaro.collector.protocol.Batch;
import java.nio.charset.StandardCharsets;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Property tests of the agent protocol's validation, below HTTP: whatever body an agent (or
 * anything holding an ingest key) sends, parsing yields a value or refuses it with a 400 naming
 * the offending field; never another exception, which the server would answer with a 500.
 */
class ProtocolParserFuzzTest {
    static final String AGENT = "00000000000000aa";

    /** A batch with one of every record kind and a counted entry, as AgentProtocolTest sends them. */
    static ObjectNode validBatch(String agentId, String traceId) {
        ObjectNode b = batch(agentId);
        trigger(b, traceId, "error", "HTTP 500 POST /payments", 1_763_700_000_123L);
        ObjectNode e = entry(b, traceId, false);
        ObjectNode s = span(e, spanId(1), null, "POST /orders", "failed", T0_US, T0_US + 23_000);
        event(s, T0_US + 5, "retry", "attempt", "2");
        message(e, 1, spanId(1), "inbound", "POST", "http://127.0.0.1:8082/orders", 500, T0_US, "{}", "{\"e\":1}");
        log(e, 2, spanId(1), T0_US + 1_000, "DEBUG", "charging card");
        breadcrumb(e, "caller", "00000000000000bb", "orders:8082");
        occurrence(counted(b, "error", "POST /orders", "HTTP 500"), traceId(0x77), 1_763_700_000_200L);
        return b;
    }

    static ObjectNode validRegistration(String agentId) {
        ObjectNode r = Records.obj().put("agentId", agentId).put("service", "orders").put("version", "1.2.3")
                .put("host", "box-1").put("pid", 4242).put("sdk", "0.1.0");
        r.putArray("authorities").add("orders:8082").add("127.0.0.1:8082");
        return r;
    }

    static ObjectNode validPoll(String agentId) {
        ObjectNode p = Records.obj().put("agentId", agentId);
        p.putArray("authorities").add("orders:8082");
        p.putObject("stats").put("bufferBytes", 1 << 20).put("bytesRecorded", 5000).put("historyMs", 100)
                .put("retentionShort", false).put("batchesSent", 3);
        return p;
    }

    @Property(tries = 1_000)
    void anyBatchIsParsedOrRefusedWithA400NamingTheField(@ForAll("batches") ObjectNode body) {
        try {
            Batch batch = ProtocolParser.batch(body);
            assertThat(batch.agentId()).matches("[0-9a-f]{16}");
        } catch (ApiException e) {
            assertRefusal(e);
        }
    }

    @Property(tries = 1_000)
    void anyRegistrationOrPollIsParsedOrRefusedWithA400(@ForAll("registrations") ObjectNode registration,
            @ForAll("polls") ObjectNode poll) {
        try {
            assertThat(ProtocolParser.registration(registration).authorities()).hasSizeLessThanOrEqualTo(32);
        } catch (ApiException e) {
            assertRefusal(e);
        }
        try {
            ProtocolParser.pollAgentId(poll);
            ProtocolParser.pollAuthorities(poll);
            ProtocolParser.pollStats(poll, 1L);
        } catch (ApiException e) {
            assertRefusal(e);
        }
    }

    @Property(tries = 1_000)
    void anyBytesAreAJsonObjectOrRefusedWithA400(@ForAll("notObjects") byte[] body) {
        try {
            ProtocolParser.batch(Json.parseObject(body));
        } catch (ApiException e) {
            assertRefusal(e);
        }
    }

    @Property(tries = 200)
    void aValidBatchIsAcceptedWhole(@ForAll("traceIds") String traceId) {
        Batch batch = ProtocolParser.batch(validBatch(AGENT, traceId));

        assertThat(batch.triggers()).hasSize(1);
        assertThat(batch.traces()).singleElement().satisfies(t -> {
            assertThat(t.traceId()).isEqualTo(traceId);
            assertThat(t.spans()).hasSize(1);
            assertThat(t.messages()).hasSize(1);
            assertThat(t.logs()).hasSize(1);
            assertThat(t.breadcrumbs()).hasSize(1);
        });
        assertThat(batch.counted()).hasSize(1);
    }

    static void assertRefusal(ApiException e) {
        assertThat(e.status()).as(e.getMessage()).isEqualTo(400);
        assertThat(e.getMessage()).isNotBlank();
        assertThat(e.getMessage().length()).as("a message that does not echo a huge value").isLessThan(2_500);
    }

    @Provide
    Arbitrary<ObjectNode> batches() {
        return HostileJson.mutationsOf(() -> validBatch(AGENT, traceId(0x101)));
    }

    @Provide
    Arbitrary<ObjectNode> registrations() {
        return HostileJson.mutationsOf(() -> validRegistration(AGENT));
    }

    @Provide
    Arbitrary<ObjectNode> polls() {
        return HostileJson.mutationsOf(() -> validPoll(AGENT));
    }

    @Provide
    Arbitrary<byte[]> notObjects() {
        return net.jqwik.api.Arbitraries.oneOf(HostileJson.notAnObject(() -> validBatch(AGENT, traceId(1))),
                batches().map(b -> b.toString().getBytes(StandardCharsets.UTF_8)));
    }

    @Provide
    Arbitrary<String> traceIds() {
        return net.jqwik.api.Arbitraries.strings().withChars("0123456789abcdef").ofLength(32)
                .filter(s -> !s.equals("0".repeat(32)));
    }
}
