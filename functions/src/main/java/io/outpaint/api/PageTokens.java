package io.outpaint.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.outpaint.config.PipelineConfig;
import io.outpaint.job.JobStatus;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Optional;
import java.util.function.Supplier;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import software.amazon.lambda.powertools.parameters.secrets.SecretsProvider;

/**
 * {@code nextToken}s as the API hands them out: the store's position and the status filter it was
 * made for, HMAC-SHA256-signed, so a token that was altered, made up, or reused with another filter
 * is refused before it reaches the store. The key is derived from the deployment's webhook secret
 * (for this purpose only); a deployment without one signs with a key of this process alone.
 */
final class PageTokens {

    static final int MAX_CHARS = 2048;
    private static final ObjectMapper JSON = io.outpaint.json.Json.MAPPER;
    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();
    private static final String PURPOSE = "outpaint page tokens v1";

    private final Supplier<byte[]> key;

    PageTokens(Supplier<byte[]> secret) {
        this.key = memoized(() -> hmac(secret.get(), PURPOSE.getBytes(StandardCharsets.UTF_8)));
    }

    static PageTokens forDeployment(PipelineConfig config) {
        return new PageTokens(() -> {
            if (config.webhookSecret().isPresent()) {
                return config.webhookSecret().get().getBytes(StandardCharsets.UTF_8);
            }
            if (config.webhookSecretArn().isPresent()) {
                return SecretsProvider.builder().build().get(config.webhookSecretArn().get()).getBytes(StandardCharsets.UTF_8);
            }
            byte[] random = new byte[32];
            new SecureRandom().nextBytes(random);
            return random;
        });
    }

    String seal(Optional<JobStatus> filter, String storeToken) {
        String payload = B64.encodeToString(JSON.createObjectNode().put("f", filterName(filter)).put("k", storeToken)
                .toString().getBytes(StandardCharsets.UTF_8));
        return payload + "." + B64.encodeToString(hmac(key.get(), payload.getBytes(StandardCharsets.UTF_8)));
    }

    /** The store's token inside {@code token}, or a 400 INVALID_NEXT_TOKEN. */
    String open(Optional<JobStatus> filter, String token) {
        int dot = token.indexOf('.');
        if (token.length() > MAX_CHARS || dot < 0) {
            throw invalid("it is not a token this API handed out");
        }
        String payload = token.substring(0, dot);
        try {
            byte[] given = Base64.getUrlDecoder().decode(token.substring(dot + 1));
            if (!MessageDigest.isEqual(given, hmac(key.get(), payload.getBytes(StandardCharsets.UTF_8)))) {
                throw invalid("it is not a token this API handed out, or it was altered");
            }
            JsonNode inside = JSON.readTree(Base64.getUrlDecoder().decode(payload));
            if (!inside.path("f").asText("").equals(filterName(filter))) {
                throw invalid("it was made for another status filter (" + inside.path("f").asText() + "); list with the same filter");
            }
            return inside.path("k").asText();
        } catch (IllegalArgumentException | java.io.IOException e) {
            throw invalid("it is not a token this API handed out");
        }
    }

    private static ApiError invalid(String why) {
        return new ApiError(400, "INVALID_NEXT_TOKEN", "nextToken: " + why,
                java.util.List.of(new io.outpaint.request.FieldError("nextToken", null, "a nextToken from the previous page of the same list; " + why)));
    }

    private static String filterName(Optional<JobStatus> filter) {
        return filter.map(Enum::name).orElse("*");
    }

    private static byte[] hmac(byte[] key, byte[] data) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac.doFinal(data);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Supplier<byte[]> memoized(Supplier<byte[]> source) {
        return new Supplier<>() {
            private volatile byte[] value;

            @Override
            public byte[] get() {
                if (value == null) {
                    synchronized (this) {
                        if (value == null) {
                            value = source.get();
                        }
                    }
                }
                return value;
            }
        };
    }
}
