package io.outpaint.scenario;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One HTTP exchange with Scenario, retried as {@link RetryPolicy} says. Uses
 * {@link HttpURLConnection} for its socket read timeout, which also bounds every body read.
 * Credentials go to the API only, never to presigned part URLs or CDN URLs.
 */
final class ScenarioHttp {

    /** Whether a call may be repeated after an answer was lost. */
    enum Safety { REPEATABLE, CREATES_JOB }

    record Answer(int status, JsonNode json, HttpURLConnection connection) {}

    private static final Logger LOG = LoggerFactory.getLogger(ScenarioHttp.class);
    static final ObjectMapper JSON = io.outpaint.json.Json.MAPPER;

    private final ScenarioSettings settings;

    ScenarioHttp(ScenarioSettings settings) {
        this.settings = settings;
    }

    /** An authenticated JSON call to {@code apiUrl + path}; the parsed body of a 2xx answer. */
    JsonNode call(String method, String path, JsonNode body, Safety safety) {
        URI uri = URI.create(settings.apiUrl() + path);
        String what = method + " " + uri.getPath();
        return withRetries(what, safety, () -> {
            HttpURLConnection c = open(uri, method);
            c.setRequestProperty("Authorization", settings.credentials().authorization());
            c.setRequestProperty("Accept", "application/json");
            byte[] bytes = body == null ? null : writeJson(body);
            if (bytes != null) {
                c.setRequestProperty("Content-Type", "application/json");
            }
            return exchange(c, what, bytes, bytes == null ? 0 : bytes.length, safety);
        }).json();
    }

    /** PUTs one part to a presigned URL (no credentials); returns nothing, throws typed errors. */
    void putPart(URI url, byte[] data, int length, int partNumber) {
        String what = "PUT part " + partNumber;
        withRetries(what, Safety.REPEATABLE, () -> {
            HttpURLConnection c = open(url, "PUT");
            c.setRequestProperty("Content-Type", "application/octet-stream");
            return exchange(c, what, data, length, Safety.REPEATABLE);
        });
    }

    /** Opens a GET of a signed URL (no credentials) from {@code offset}; the caller reads and closes it. */
    Answer openDownload(URI url, long offset) throws IOException {
        HttpURLConnection c = open(url, "GET");
        if (offset > 0) {
            c.setRequestProperty("Range", "bytes=" + offset + "-");
        }
        c.connect();
        int status = c.getResponseCode();
        return new Answer(status, null, c);
    }

    <T> T withRetries(String what, Safety safety, Attempt<T> attempt) {
        RetryPolicy policy = settings.retry();
        for (int n = 1; ; n++) {
            ScenarioException failure;
            try {
                return attempt.run();
            } catch (ScenarioException e) {
                failure = e;
            } catch (NotSent e) {
                failure = new ScenarioUnavailableException(what + " could not connect: " + e.getCause().getMessage(), 0, null, e.getCause());
            } catch (IOException e) {
                failure = safety == Safety.REPEATABLE
                        ? new ScenarioUnavailableException(what + " failed: " + e, 0, null, e)
                        : new ScenarioOutcomeUnknownException(what + " was sent but its answer was lost (" + e
                                + "); Scenario may have created the job", 0, null, e);
            }
            boolean retryable = failure.isTransient() && !(failure instanceof ScenarioOutcomeUnknownException);
            if (!retryable || n >= policy.maxAttempts()) {
                throw failure;
            }
            Duration hint = failure instanceof ScenarioThrottledException throttled ? throttled.retryAfter() : null;
            Duration delay = policy.delayAfter(n, hint);
            if (delay.compareTo(policy.maxDelay()) > 0) {
                throw failure; // a long wait belongs to the caller's retry, not to a blocked thread
            }
            LOG.warn("Scenario call {} failed (attempt {}/{}): {}; retrying in {} ms",
                    what, n, policy.maxAttempts(), failure.getMessage(), delay.toMillis());
            try {
                policy.sleeper().sleep(delay);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw failure;
            }
        }
    }

    @FunctionalInterface
    interface Attempt<T> {
        T run() throws IOException;
    }

    /** The request never left this machine, so repeating it cannot duplicate anything. */
    static final class NotSent extends IOException {
        NotSent(IOException cause) {
            super(cause);
        }
    }

    private Answer exchange(HttpURLConnection c, String what, byte[] body, int length, Safety safety) throws IOException {
        if (body != null) {
            c.setDoOutput(true);
            c.setFixedLengthStreamingMode(length);
        }
        try {
            c.connect();
        } catch (IOException e) {
            throw new NotSent(e);
        }
        if (body != null) {
            try (OutputStream out = c.getOutputStream()) {
                out.write(body, 0, length);
            }
        }
        int status = c.getResponseCode();
        String raw;
        try (InputStream in = status >= 400 ? c.getErrorStream() : c.getInputStream()) {
            raw = in == null ? "" : new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        }
        JsonNode json = parse(raw);
        if (status >= 200 && status < 300) {
            if (json == null && !raw.isBlank()) {
                throw new ScenarioProtocolException(what + " answered " + status + " with a body that is not JSON", status, null, null);
            }
            return new Answer(status, json, c);
        }
        throw failure(what, status, json, raw, c, safety);
    }

    static ScenarioException failure(String what, int status, JsonNode json, String raw, HttpURLConnection c, Safety safety) {
        String message = what + " answered " + status + ": " + Answers.message(json, raw);
        String trace = Answers.traceId(json);
        if (trace != null) {
            message += " (trace " + trace + ")";
        }
        return switch (status) {
            case 401, 403 -> new ScenarioAuthException(message, status, trace, null);
            case 400, 422 -> new ScenarioValidationException(message, status, trace, null);
            case 404 -> new ScenarioNotFoundException(message, status, trace, null);
            case 408 -> new ScenarioUnavailableException(message, status, trace, null);
            case 429 -> Answers.isPlanLimit(json)
                    ? new ScenarioPlanLimitException(message, status, trace, Answers.remainingSeconds(json))
                    : new ScenarioRateLimitException(message, status, trace, retryAfter(c));
            default -> safety == Safety.REPEATABLE
                    ? new ScenarioUnavailableException(message, status, trace, null)
                    : new ScenarioOutcomeUnknownException(message + "; Scenario may have created the job", status, trace, null);
        };
    }

    private static Duration retryAfter(HttpURLConnection c) {
        String value = c == null ? null : c.getHeaderField("Retry-After");
        if (value == null) {
            return null;
        }
        try {
            return Duration.ofSeconds(Long.parseLong(value.trim()));
        } catch (NumberFormatException e) {
            try {
                Duration until = Duration.between(java.time.Instant.now(),
                        ZonedDateTime.parse(value.trim(), DateTimeFormatter.RFC_1123_DATE_TIME).toInstant());
                return until.isNegative() ? Duration.ZERO : until;
            } catch (RuntimeException ignored) {
                return null;
            }
        }
    }

    private HttpURLConnection open(URI uri, String method) throws IOException {
        HttpURLConnection c = (HttpURLConnection) uri.toURL().openConnection();
        c.setConnectTimeout((int) settings.connectTimeout().toMillis());
        c.setReadTimeout((int) settings.readTimeout().toMillis());
        c.setRequestMethod(method);
        c.setInstanceFollowRedirects(false);
        c.setUseCaches(false);
        return c;
    }

    private static byte[] writeJson(JsonNode body) throws IOException {
        return JSON.writeValueAsBytes(body);
    }

    private static JsonNode parse(String raw) {
        try {
            return raw.isBlank() ? null : JSON.readTree(raw);
        } catch (IOException e) {
            return null;
        }
    }
}
