package io.outpaint.local.outside;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.outpaint.local.testing.RawHttp;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * From outside: the packaged {@code outpaint.jar serve} in its own process, attacked as a local
 * process or a rebinding web page would. A plain GET of the console gets no cookie; the link the
 * banner printed opens it once; no Host but the bound address is answered; a call that changes
 * state with the cookie and without the CSRF token is refused and creates nothing.
 */
class ServeConsoleAuthIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static Process serve;
    private static JsonNode endpoints;
    private static String base;
    @TempDir static Path dir;

    @BeforeAll
    static void start() throws Exception {
        Path endpointsFile = dir.resolve("endpoints.json");
        serve = new ProcessBuilder("java", "-jar", "target/outpaint.jar", "serve", "--job-seconds", "3",
                "--endpoints-file", endpointsFile.toString())
                .redirectOutput(dir.resolve("serve.log").toFile()).redirectError(dir.resolve("serve.err").toFile()).start();
        Instant deadline = Instant.now().plusSeconds(180);
        while (!Files.exists(endpointsFile)) {
            assertThat(serve.isAlive()).as("serve exited: " + Files.readString(dir.resolve("serve.log"))
                    + Files.readString(dir.resolve("serve.err"))).isTrue();
            assertThat(Instant.now()).as("serve did not come up in 180 s").isBefore(deadline);
            Thread.sleep(200);
        }
        endpoints = JSON.readTree(endpointsFile.toFile());
        base = endpoints.path("httpApi").asText();
    }

    @AfterAll
    static void stop() throws InterruptedException {
        if (serve != null) {
            serve.destroy();
            if (!serve.waitFor(30, TimeUnit.SECONDS)) {
                serve.destroyForcibly();
            }
        }
    }

    private static HttpResponse<String> get(String url, String... headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url));
        for (int i = 0; i < headers.length; i += 2) {
            b.header(headers[i], headers[i + 1]);
        }
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static int jobCount() throws Exception {
        return JSON.readTree(get(base + "/jobs?limit=100", "x-api-key", endpoints.path("apiKey").asText()).body()).path("jobs").size();
    }

    @Test
    void aPlainGetOfTheConsoleGetsNoCookieAndNoApiAccess() throws Exception {
        HttpResponse<String> page = get(base + "/console/", "Sec-Fetch-Site", "same-origin");
        assertThat(page.statusCode()).isEqualTo(401);
        assertThat(page.headers().allValues("Set-Cookie")).isEmpty();
        assertThat(get(base + "/", "Sec-Fetch-Site", "same-origin").headers().allValues("Set-Cookie")).isEmpty();
        assertThat(get(base + "/jobs", "Sec-Fetch-Site", "same-origin").statusCode()).isEqualTo(401);
    }

    @Test
    void theBannersLinkWorksOnceAndItsCookieNeedsTheCsrfTokenToChangeAnything() throws Exception {
        List<String> banner = Files.readAllLines(dir.resolve("serve.log"));
        String link = endpoints.path("console").asText();
        assertThat(banner.get(0)).isEqualTo("outpaint console: " + link);
        assertThat(link).matches(Pattern.quote(base) + "/console/\\?token=[0-9a-f]{64}");
        assertThat(banner).anyMatch(line -> line.startsWith("  Console ") && line.contains("opens it once"));

        HttpResponse<String> first = get(link);
        assertThat(first.statusCode()).isEqualTo(303);
        assertThat(first.headers().firstValue("Location")).hasValue("/console/");
        String setCookie = first.headers().firstValue("Set-Cookie").orElseThrow();
        assertThat(setCookie).contains("HttpOnly").contains("SameSite=Strict");
        String cookie = setCookie.substring(0, setCookie.indexOf(';'));
        HttpResponse<String> second = get(link);
        assertThat(second.statusCode()).as("the link again, from another client").isEqualTo(403);
        assertThat(second.headers().allValues("Set-Cookie")).isEmpty();

        HttpResponse<String> page = get(base + "/console/", "Cookie", cookie);
        assertThat(page.statusCode()).isEqualTo(200);
        Matcher csrf = Pattern.compile("<meta name=\"outpaint-csrf\" content=\"([0-9a-f]{64})\">").matcher(page.body());
        assertThat(csrf.find()).as(page.body()).isTrue();
        assertThat(get(base + "/jobs", "Cookie", cookie, "Sec-Fetch-Site", "same-origin").statusCode()).isEqualTo(200);

        int before = jobCount();
        String create = "{\"video\":{\"upload\":{\"fileName\":\"clip.mp4\",\"contentType\":\"video/mp4\"}},\"request\":{\"prompt\":\"p\"}}";
        HttpResponse<String> withoutCsrf = HTTP.send(HttpRequest.newBuilder(URI.create(base + "/jobs")).header("Cookie", cookie)
                .header("Sec-Fetch-Site", "same-origin").header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(create)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(withoutCsrf.statusCode()).as(withoutCsrf.body()).isEqualTo(403);
        assertThat(JSON.readTree(withoutCsrf.body()).path("error").path("code").asText()).isEqualTo("CSRF_TOKEN_MISSING");
        assertThat(jobCount()).as("no job was created").isEqualTo(before);
        HttpResponse<String> withCsrf = HTTP.send(HttpRequest.newBuilder(URI.create(base + "/jobs")).header("Cookie", cookie)
                .header("Sec-Fetch-Site", "same-origin").header("Content-Type", "application/json").header("X-Outpaint-CSRF", csrf.group(1))
                .POST(HttpRequest.BodyPublishers.ofString(create)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(withCsrf.statusCode()).as(withCsrf.body()).isEqualTo(202);
        assertThat(jobCount()).isEqualTo(before + 1);
    }

    @Test
    void aForeignHostIsRefusedEvenWithTheCookieOrTheKey() throws Exception {
        int port = URI.create(base).getPort();
        String key = "x-api-key: " + endpoints.path("apiKey").asText();
        RawHttp.Answer keyed = RawHttp.sendAs("attacker.example:" + port, base, "GET", "/jobs", null, key);
        assertThat(keyed.status()).isEqualTo(403);
        assertThat(JSON.readTree(keyed.body()).path("error").path("code").asText()).isEqualTo("HOST_NOT_ALLOWED");
        // a rebinding page that got a link would still get no session under its own name
        String link = JSON.readTree(HTTP.send(HttpRequest.newBuilder(URI.create(base + "/console/links"))
                .header("x-api-key", endpoints.path("apiKey").asText()).POST(HttpRequest.BodyPublishers.noBody()).build(),
                HttpResponse.BodyHandlers.ofString()).body()).path("url").asText();
        URI minted = URI.create(link);
        RawHttp.Answer page = RawHttp.sendAs("attacker.example:" + port, base, "GET", minted.getRawPath() + "?" + minted.getRawQuery(), null);
        assertThat(page.status()).isEqualTo(403);
        assertThat(page.header("Set-Cookie")).isNull();
        assertThat(RawHttp.sendAs("localhost:" + port, base, "GET", "/jobs", null, key).status()).isEqualTo(200);
        // the link was not spent by the refused request
        assertThat(get(link).statusCode()).isEqualTo(303);
    }
}
