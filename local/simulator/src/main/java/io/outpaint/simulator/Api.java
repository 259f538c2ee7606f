package io.outpaint.simulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.StandardCopyOption;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Scenario's REST API over {@link ScenarioState}, with the faults of {@link Faults} applied. */
final class Api implements HttpHandler {

    private final ScenarioSimulator simulator;
    private final ScenarioState state;
    private final UrlSigner signer = new UrlSigner();
    private final String expectedAuthorization;

    Api(ScenarioSimulator simulator, ScenarioState state, String key, String secret) {
        this.simulator = simulator;
        this.state = state;
        this.expectedAuthorization = "Basic " + Base64.getEncoder()
                .encodeToString((key + ":" + secret).getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public void handle(HttpExchange http) throws IOException {
        Exchange ex = new Exchange(http);
        long latency = simulator.faults().latency().toMillis();
        try {
            if (ex.path.startsWith("/_parts/")) {
                pause(latency);
                putPart(ex);
            } else if (ex.path.startsWith("/_cdn/")) {
                pause(latency);
                download(ex);
            } else if (!ex.path.startsWith("/v1/")) {
                ex.error(404, "No route " + ex.method + " " + ex.path);
            } else if (!expectedAuthorization.equals(ex.header("Authorization"))) {
                ex.json(401, Map.of("message", "Unauthorized"));
            } else {
                Optional<Route.Match> match = Route.match(ex.method, ex.path);
                match.ifPresent(m -> simulator.record(m.route()));
                // a request's fate is decided when it arrives, not after its added latency
                if (!injectFault(ex)) {
                    pause(latency);
                    route(ex, match);
                }
            }
        } catch (DroppedConnection e) {
            throw e; // the server closes the connection without an answer
        } catch (RuntimeException e) {
            ex.error(500, "Simulator fault: " + e);
        }
        http.close();
    }

    private boolean injectFault(Exchange ex) throws IOException {
        Faults faults = simulator.faults();
        if (faults.takeServerError()) {
            int status = List.of(500, 502, 503).get(simulator.faultsServed() % 3);
            simulator.countFault();
            ex.json(status, Map.of("message", "Service temporarily unavailable"));
            return true;
        }
        if (faults.takeRateLimit()) {
            simulator.countFault();
            if (faults.retryAfterSeconds() != null) {
                ex.http.getResponseHeaders().set("Retry-After", faults.retryAfterSeconds().toString());
            }
            ex.json(429, Map.of("reason", "Rate limit exceeded: too many requests"));
            return true;
        }
        return false;
    }

    private void route(Exchange ex, Optional<Route.Match> match) throws IOException {
        if (match.isEmpty()) {
            ex.error(404, "No route " + ex.method + " " + ex.path);
            return;
        }
        String id = match.get().route() == Route.CREATE_UPLOAD || match.get().route() == Route.LIST_JOBS ? null : match.get().id();
        switch (match.get().route()) {
            case CREATE_UPLOAD -> createUpload(ex);
            case COMPLETE_UPLOAD -> completeUpload(ex, id);
            case GET_UPLOAD -> found(ex, state.upload(id), "Upload", u -> Map.of("upload", state.observe(u,
                    simulator.faults().uploadsNeverImported())));
            case GENERATE -> Generate.handle(ex, id, simulator, state);
            case LIST_JOBS -> JobList.handle(ex, state);
            case JOB_ACTION -> {
                if (state.job(id).isEmpty()) {
                    ex.error(404, "Job not found");
                } else {
                    ex.error(400, "Cannot cancel this type of job. Action not permitted.");
                }
            }
            case GET_JOB -> found(ex, state.job(id), "Job", j -> Map.of("job", Views.job(j, state)));
            case GET_ASSET -> found(ex, state.asset(id), "Asset", a -> Map.of("asset", Views.asset(a, cdnUrl(a))));
            default -> ex.error(404, "No route " + ex.method + " " + ex.path);
        }
    }

    private static <T> void found(Exchange ex, Optional<T> thing, String kind, java.util.function.Function<T, Object> view)
            throws IOException {
        if (thing.isEmpty()) {
            ex.error(404, kind + " not found");
        } else {
            ex.json(200, view.apply(thing.get()));
        }
    }

    private void createUpload(Exchange ex) throws IOException {
        JsonNode body = ex.jsonBody();
        if (body == null || !body.isObject()) {
            ex.error(400, "body must be a JSON object");
            return;
        }
        String contentType = body.path("contentType").asText("");
        int parts = body.path("parts").asInt(0);
        long fileSize = body.path("fileSize").asLong(0);
        String fileName = body.path("fileName").asText("");
        if (body.has("url")) {
            ex.error(400, "url uploads are not simulated; upload the file in parts");
        } else if (!body.path("kind").asText().equals("video")) {
            ex.error(400, "kind must be video for /v1/uploads (got " + body.path("kind") + ")");
        } else if (!contentType.equals("video/mp4") && !contentType.equals("video/webm")) {
            ex.error(400, "contentType must be one of video/mp4, video/webm (got " + body.path("contentType") + ")");
        } else if (parts < 1 || parts > 10_000) {
            ex.error(400, "parts must be an integer from 1 to 10000 (got " + body.path("parts") + ")");
        } else if (fileSize < 1) {
            ex.error(400, "fileSize must be a positive number of bytes (got " + body.path("fileSize") + ")");
        } else if (fileName.isBlank()) {
            ex.error(400, "fileName is required");
        } else {
            ScenarioState.Upload upload = state.createUpload(fileName, contentType, parts, fileSize);
            ex.json(200, Map.of("upload", Views.upload(upload, partUrls(upload))));
        }
    }

    private List<Map<String, Object>> partUrls(ScenarioState.Upload upload) {
        var expires = state.now().plus(simulator.urlLifetime());
        return java.util.stream.IntStream.rangeClosed(1, upload.parts).mapToObj(n -> {
            String path = "/_parts/" + upload.id + "/" + n;
            return Map.<String, Object>of("number", n, "expires", expires.toString(),
                    "url", simulator.baseUrl() + path + "?" + signer.presignedQuery(path, expires));
        }).toList();
    }

    private void putPart(Exchange ex) throws IOException {
        Optional<Route.Match> part = Route.match(ex.method, ex.path).filter(p -> p.route() == Route.PUT_PART);
        var expires = signer.presignedExpiry(ex.path, ex.query.get("X-Amz-Expires"), ex.query.get("X-Amz-Signature"));
        if (part.isEmpty()) {
            ex.empty(405);
            return;
        }
        simulator.record(Route.PUT_PART);
        Optional<ScenarioState.Upload> upload = state.upload(part.get().id());
        int number = Integer.parseInt(part.get().path().group(2));
        if (expires == null || expires.isBefore(state.now()) || upload.isEmpty() || number > upload.get().parts) {
            ex.http.sendResponseHeaders(403, -1);
            return;
        }
        try (InputStream in = ex.http.getRequestBody()) {
            Files.copy(in, state.partFile(upload.get(), number), StandardCopyOption.REPLACE_EXISTING);
        }
        ex.http.getResponseHeaders().set("ETag", "\"" + upload.get().id + "-" + number + "\"");
        ex.http.sendResponseHeaders(200, -1);
    }

    private void completeUpload(Exchange ex, String id) throws IOException {
        JsonNode body = ex.jsonBody();
        Optional<ScenarioState.Upload> upload = state.upload(id);
        if (upload.isEmpty()) {
            ex.error(404, "Upload not found");
        } else if (body == null || !"complete".equals(body.path("action").asText())) {
            ex.error(400, "action must be complete");
        } else if (!upload.get().status.equals("pending")) {
            ex.error(400, "Upload is already " + upload.get().status);
        } else {
            upload.get().status = "validating";
            simulator.background(() -> state.importUpload(upload.get()));
            ex.json(200, Map.of("upload", Views.upload(upload.get(), List.of())));
        }
    }

    private String cdnUrl(ScenarioState.Asset asset) {
        String path = "/_cdn/" + asset.id() + "/" + asset.id() + (asset.mimeType().equals("video/webm") ? ".webm" : ".mp4");
        var lifetime = simulator.faults().takeExpiredUrl() ? java.time.Duration.ofSeconds(-1) : simulator.urlLifetime();
        return simulator.baseUrl() + path + "?" + signer.cdnQuery(path, state.now().plus(lifetime));
    }

    private void download(Exchange ex) throws IOException {
        Optional<Route.Match> cdn = Route.match(ex.method, ex.path).filter(c -> c.route() == Route.DOWNLOAD);
        var expires = signer.cdnExpiry(ex.path, ex.query.get("Policy"), ex.query.get("Signature"));
        Optional<ScenarioState.Asset> asset = cdn.flatMap(c -> state.asset(c.id()));
        simulator.record(Route.DOWNLOAD);
        if (expires == null || asset.isEmpty()) {
            ex.json(403, Map.of("message", "Missing or invalid signature"));
            return;
        }
        if (expires.isBefore(state.now())) {
            ex.json(403, Map.of("message", "Access denied: the URL has expired"));
            return;
        }
        long size = asset.get().size();
        long start = 0;
        String range = ex.header("Range");
        if (range != null && range.matches("bytes=\\d+-\\d*")) {
            start = Long.parseLong(range.substring(6, range.indexOf('-')));
        }
        boolean drop = simulator.faults().takeDroppedDownload();
        ex.http.getResponseHeaders().set("Content-Type", asset.get().mimeType());
        ex.http.getResponseHeaders().set("Accept-Ranges", "bytes");
        if (start > 0) {
            ex.http.getResponseHeaders().set("Content-Range", "bytes " + start + "-" + (size - 1) + "/" + size);
        }
        long length = size - start;
        ex.http.sendResponseHeaders(start > 0 ? 206 : 200, length);
        long limit = drop ? length / 2 : length;
        try (InputStream in = Files.newInputStream(asset.get().file())) {
            in.skipNBytes(start);
            OutputStream out = ex.http.getResponseBody();
            byte[] buffer = new byte[64 * 1024];
            long sent = 0;
            while (sent < limit) {
                int n = in.read(buffer, 0, (int) Math.min(buffer.length, limit - sent));
                out.write(buffer, 0, n);
                sent += n;
            }
            out.flush();
        }
        if (drop) {
            simulator.countFault();
            throw new DroppedConnection();
        }
        ex.http.getResponseBody().close();
    }

    /** Thrown to make the server drop the connection without finishing the answer. */
    static final class DroppedConnection extends RuntimeException {
        DroppedConnection() {
            super("connection dropped on purpose", null, false, false);
        }
    }

    private static void pause(long millis) {
        if (millis > 0) {
            try {
                Thread.sleep(millis);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
