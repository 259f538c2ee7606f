package io.outpaint.simulator;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/** Signs and checks the simulator's CDN and part-upload URLs, with an expiry inside the signature. */
final class UrlSigner {

    private final byte[] key = new byte[32];

    UrlSigner() {
        new SecureRandom().nextBytes(key);
    }

    /** The query string of a CDN URL for {@code path}, in CloudFront's shape. */
    String cdnQuery(String path, Instant expires) {
        String policy = Base64.getUrlEncoder().withoutPadding().encodeToString(
                ("{\"exp\":" + expires.getEpochSecond() + "}").getBytes(StandardCharsets.UTF_8));
        return "Policy=" + policy + "&Signature=" + sign(path + "|" + policy) + "&Key-Pair-Id=KSIMULATOR";
    }

    /** The query string of a presigned part URL for {@code path}, in S3's shape. */
    String presignedQuery(String path, Instant expires) {
        String exp = Long.toString(expires.getEpochSecond());
        return "X-Amz-Expires=" + exp + "&X-Amz-Signature=" + sign(path + "|" + exp);
    }

    /** Whether {@code policy}/{@code signature} sign {@code path}, and when they expire; null when they do not. */
    Instant cdnExpiry(String path, String policy, String signature) {
        if (policy == null || signature == null || !sign(path + "|" + policy).equals(signature)) {
            return null;
        }
        String json = new String(Base64.getUrlDecoder().decode(policy), StandardCharsets.UTF_8);
        return Instant.ofEpochSecond(Long.parseLong(json.replaceAll("\\D", "")));
    }

    Instant presignedExpiry(String path, String expires, String signature) {
        if (expires == null || signature == null || !sign(path + "|" + expires).equals(signature)) {
            return null;
        }
        return Instant.ofEpochSecond(Long.parseLong(expires));
    }

    private String sign(String text) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(mac.doFinal(text.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
