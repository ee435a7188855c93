package io.mintaro.collector.alerts.internal;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/** {@code X-Mintaro-Signature}: {@code sha256=<hex HMAC-SHA256(secret, "<timestamp>.<body>")>}. */
public final class Signature {
    private Signature() {
    }

    /** The header's value for {@code body} sent at {@code timestampS} (unix seconds). */
    public static String sign(String secret, long timestampS, String body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            byte[] digest = mac.doFinal((timestampS + "." + body).getBytes(StandardCharsets.UTF_8));
            return "sha256=" + HexFormat.of().formatHex(digest);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is not available", e);
        }
    }
}
