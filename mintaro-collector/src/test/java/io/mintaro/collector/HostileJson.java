package io.mintaro.collector;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Random;
import java.util.function.Supplier;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;

/**
 * Hostile agent and API bodies for property tests: valid bodies with a few fields replaced by
 * values of the wrong type, size or range, removed, repeated or added; and bytes that are not
 * JSON at all. The edits are drawn from a seed, so a failing sample is printed as the body itself.
 */
final class HostileJson {
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final String TRICKY = "0123456789abcdef-_:/.@ \t\r\n\u0000\u001f\u007f\u00e9\u2028\ud83d\ude00\ud800\"\\{}[],";

    private HostileJson() {
    }

    /** {@code template}'s body after one to five random edits. */
    static Arbitrary<ObjectNode> mutationsOf(Supplier<ObjectNode> template) {
        return Combinators.combine(Arbitraries.longs(), Arbitraries.integers().between(1, 5))
                .as((seed, edits) -> mutate(template.get(), new Random(seed), edits));
    }

    /** Bodies that are not a JSON object: random bytes, cut JSON, other JSON values. */
    static Arbitrary<byte[]> notAnObject(Supplier<ObjectNode> template) {
        Arbitrary<byte[]> random = Arbitraries.bytes().array(byte[].class).ofMaxSize(200);
        Arbitrary<byte[]> cut = Arbitraries.integers().between(0, 10_000).map(n -> {
            byte[] whole = template.get().toString().getBytes(StandardCharsets.UTF_8);
            return java.util.Arrays.copyOf(whole, n % Math.max(1, whole.length));
        });
        Arbitrary<byte[]> others = Arbitraries.of("", "null", "[]", "[{}]", "\"x\"", "1", "{}", "{\"agentId\":",
                "{\"a\":1}{\"b\":2}", "[".repeat(10_000), "{\"a\":" + "[".repeat(100) + "]".repeat(100) + "}",
                "{\"n\":1" + "0".repeat(100) + "}", "\ufeff{}", "{\"a\":NaN}", "{'a':1}", "{\"a\":1,}")
                .map(s -> s.getBytes(StandardCharsets.UTF_8));
        return Arbitraries.oneOf(random, cut, others);
    }

    static ObjectNode mutate(ObjectNode root, Random random, int edits) {
        for (int i = 0; i < edits; i++) {
            List<Slot> slots = new ArrayList<>();
            collect(root, slots);
            Slot s = slots.get(random.nextInt(slots.size()));
            switch (random.nextInt(5)) {
                case 0, 1 -> s.set(hostileValue(random));
                case 2 -> s.remove();
                case 3 -> {
                    JsonNode v = s.get();
                    if (v != null && v.isArray() && !v.isEmpty()) {
                        int copies = 1 + random.nextInt(random.nextInt(10) == 0 ? 300 : 20);
                        for (int k = 0; k < copies; k++) {
                            ((ArrayNode) v).add(v.get(0).deepCopy());
                        }
                    } else {
                        s.set(hostileValue(random));
                    }
                }
                default -> {
                    if (s.container instanceof ObjectNode o) {
                        o.set(hostileText(random, 12), hostileValue(random));
                    } else {
                        ((ArrayNode) s.container).add(hostileValue(random));
                    }
                }
            }
        }
        return root;
    }

    /** A value of any JSON type, of sizes and ranges a validator must refuse or survive. */
    static JsonNode hostileValue(Random random) {
        switch (random.nextInt(14)) {
            case 0: return NODES.textNode(hostileText(random, 40));
            case 1: return NODES.textNode("x".repeat(random.nextBoolean() ? 70_000 : 1_100));
            case 2: return NODES.numberNode(random.nextBoolean() ? Long.MAX_VALUE : Long.MIN_VALUE);
            case 3: return NODES.numberNode(random.nextInt(3) - 1);
            case 4: return NODES.numberNode(new BigInteger("1" + "0".repeat(30)));
            case 5: return NODES.numberNode(new BigDecimal(random.nextBoolean() ? "0.5" : "-1e300"));
            case 6: return NODES.numberNode((1L << 53) + random.nextInt(3) - 1);
            case 7: return NODES.booleanNode(random.nextBoolean());
            case 8: return NODES.nullNode();
            case 9: return NODES.objectNode();
            case 10: return NODES.arrayNode();
            case 11: {
                ArrayNode a = NODES.arrayNode();
                for (int i = random.nextInt(4); i > 0; i--) {
                    a.add(random.nextBoolean() ? NODES.textNode(hostileText(random, 10)) : NODES.numberNode(random.nextLong()));
                }
                return a;
            }
            case 12: return NODES.textNode(String.format("%032x", random.nextLong() & 0xff));
            default: return NODES.textNode(String.format("%016x", random.nextLong()));
        }
    }

    static String hostileText(Random random, int maxLength) {
        StringBuilder b = new StringBuilder();
        for (int i = random.nextInt(maxLength + 1); i > 0; i--) {
            b.append(random.nextInt(4) == 0 ? (char) random.nextInt(0x10000) : TRICKY.charAt(random.nextInt(TRICKY.length())));
        }
        return b.toString();
    }

    /** A place in the tree: a field of an object or an element of an array. */
    private record Slot(JsonNode container, String field, int index) {
        JsonNode get() {
            return field != null ? container.get(field) : container.get(index);
        }

        void set(JsonNode v) {
            if (field != null) {
                ((ObjectNode) container).set(field, v);
            } else {
                ((ArrayNode) container).set(index, v);
            }
        }

        void remove() {
            if (field != null) {
                ((ObjectNode) container).remove(field);
            } else {
                ((ArrayNode) container).remove(index);
            }
        }
    }

    private static void collect(JsonNode node, List<Slot> slots) {
        if (node.isObject()) {
            Iterator<String> names = node.fieldNames();
            List<String> fields = new ArrayList<>();
            names.forEachRemaining(fields::add);
            if (fields.isEmpty()) {
                slots.add(new Slot(node, "extra", -1));
            }
            for (String f : fields) {
                slots.add(new Slot(node, f, -1));
                collect(node.get(f), slots);
            }
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                slots.add(new Slot(node, null, i));
                collect(node.get(i), slots);
            }
        }
    }
}
