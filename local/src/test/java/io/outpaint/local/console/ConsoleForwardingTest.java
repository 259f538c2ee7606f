package io.outpaint.local.console;

import static org.assertj.core.api.Assertions.assertThat;

import io.outpaint.local.LocalPipeline;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;

/**
 * {@code outpaint console --endpoint}: the console's API calls reach the API SigV4-signed with the
 * default AWS credentials, checked by a gateway that recomputes every signature in front of the
 * local runtime; only a browser that opened the printed link, from the page's own origin, may use
 * the forwarder, with the session's CSRF token for calls that change state.
 */
class ConsoleForwardingTest {

    private static final HttpClient HTTP = HttpClient.newHttpClient();
    // a user's credentials, distinct from the runtime's own, so that a leak of them would show
    private static final AwsBasicCredentials USER = AwsBasicCredentials.create("AKIACONSOLEUSER00001", "consoleUserSecret/0123456789abcdefABCDEF");
    private static LocalPipeline pipeline;
    private static SigV4Gateway gateway;
    private static ConsoleServer console;
    private static String cookie;
    private static String csrf;

    @BeforeAll
    static void start() throws Exception {
        pipeline = LocalPipeline.start(LocalPipeline.Settings.interactive().withoutUploadTrigger());
        gateway = new SigV4Gateway(USER, "eu-west-1", pipeline.httpApi().url(), pipeline.httpApi().apiKey());
        console = new ConsoleServer(new SignedForwarder(gateway.uri(), "eu-west-1", StaticCredentialsProvider.create(USER)), 0);
        HttpResponse<String> plain = HTTP.send(HttpRequest.newBuilder(base().resolve("/console/")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(plain.statusCode()).isEqualTo(401);
        assertThat(plain.headers().firstValue("Set-Cookie")).isEmpty();
        HttpResponse<String> exchange = HTTP.send(HttpRequest.newBuilder(URI.create(console.url())).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(exchange.statusCode()).isEqualTo(303);
        String setCookie = exchange.headers().firstValue("Set-Cookie").orElseThrow();
        assertThat(setCookie).contains("HttpOnly").contains("SameSite=Strict");
        cookie = setCookie.substring(0, setCookie.indexOf(';'));
        HttpResponse<String> page = HTTP.send(HttpRequest.newBuilder(base().resolve("/console/")).header("Cookie", cookie).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.body()).contains("<script type=\"module\" src=\"app.js\">");
        java.util.regex.Matcher token = java.util.regex.Pattern.compile("name=\"outpaint-csrf\" content=\"([0-9a-f]{64})\"").matcher(page.body());
        assertThat(token.find()).isTrue();
        csrf = token.group(1);
        assertThat(HTTP.send(HttpRequest.newBuilder(URI.create(console.url())).build(), HttpResponse.BodyHandlers.ofString()).statusCode())
                .as("the link a second time").isEqualTo(403);
    }

    @AfterAll
    static void stop() {
        console.close();
        gateway.close();
        pipeline.close();
    }

    /** The console's own address, without the link's token. */
    private static URI base() {
        return URI.create(console.url()).resolve("/");
    }

    private static HttpResponse<String> fromPage(String method, String path, String body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(base().resolve(path)).header("Cookie", cookie)
                .header("Sec-Fetch-Site", "same-origin").header(ConsoleSession.CSRF_HEADER, csrf)
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (body != null) {
            b.header("Content-Type", "application/json");
        }
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void forwardsThePagesCallsSignedForExecuteApi() throws Exception {
        int before = gateway.seen.size();
        HttpResponse<String> list = fromPage("GET", "/jobs?limit=5", null);
        HttpResponse<String> staged = fromPage("POST", "/uploads", "{\"fileName\":\"clip.mp4\",\"contentType\":\"video/mp4\"}");
        HttpResponse<String> refused = fromPage("POST", "/estimate", "{\"video\":{\"key\":\"inputs/none.mp4\"},\"request\":{\"prompt\":\"\"}}");

        assertThat(list.statusCode()).isEqualTo(200);
        assertThat(list.body()).contains("\"jobs\"");
        assertThat(staged.statusCode()).isEqualTo(201);
        assertThat(staged.body()).contains("inputs/staged/").contains("\"url\"");
        // the API's own validation answers through the forwarder, field by field
        assertThat(refused.statusCode()).isEqualTo(400);
        assertThat(refused.body()).contains("request.prompt");
        var calls = gateway.seen.subList(before, gateway.seen.size());
        assertThat(calls).extracting(SigV4Gateway.Seen::path).containsExactly("/jobs?limit=5", "/uploads", "/estimate");
        assertThat(calls).allSatisfy(c -> {
            assertThat(c.signatureValid()).as(c.path()).isTrue();
            assertThat(c.authorization()).startsWith("AWS4-HMAC-SHA256 Credential=" + USER.accessKeyId() + "/")
                    .contains("/eu-west-1/execute-api/aws4_request");
        });
    }

    @Test
    void theGatewayRefusesWhatIsNotSignedSoTheCheckCanFail() throws Exception {
        HttpResponse<String> unsigned = HTTP.send(HttpRequest.newBuilder(gateway.uri().resolve("/jobs")).build(),
                HttpResponse.BodyHandlers.ofString());
        HttpResponse<String> forged = HTTP.send(HttpRequest.newBuilder(gateway.uri().resolve("/jobs"))
                .header("X-Amz-Date", "20261124T000000Z")
                .header("Authorization", "AWS4-HMAC-SHA256 Credential=" + USER.accessKeyId()
                        + "/20261124/eu-west-1/execute-api/aws4_request, SignedHeaders=host;x-amz-date, Signature=" + "0".repeat(64)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(unsigned.statusCode()).isEqualTo(403);
        assertThat(forged.statusCode()).isEqualTo(403);
    }

    @Test
    void forwardsNothingForOtherOriginsWithoutTheSessionCookieOrWithoutTheCsrfToken() throws Exception {
        int before = gateway.seen.size();
        HttpResponse<String> noCookie = HTTP.send(HttpRequest.newBuilder(base().resolve("/jobs")).build(),
                HttpResponse.BodyHandlers.ofString());
        HttpResponse<String> otherSite = HTTP.send(HttpRequest.newBuilder(base().resolve("/jobs"))
                .header("Cookie", cookie).header("Sec-Fetch-Site", "same-site").build(), HttpResponse.BodyHandlers.ofString());
        HttpResponse<String> otherOrigin = HTTP.send(HttpRequest.newBuilder(base().resolve("/jobs"))
                .header("Cookie", cookie).header("Origin", "http://127.0.0.1:1").header(ConsoleSession.CSRF_HEADER, csrf)
                .POST(HttpRequest.BodyPublishers.ofString("{}")).build(), HttpResponse.BodyHandlers.ofString());
        HttpResponse<String> noCsrf = HTTP.send(HttpRequest.newBuilder(base().resolve("/uploads"))
                .header("Cookie", cookie).header("Sec-Fetch-Site", "same-origin").header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"fileName\":\"clip.mp4\",\"contentType\":\"video/mp4\"}")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(noCookie.statusCode()).isEqualTo(401);
        assertThat(otherSite.statusCode()).isEqualTo(401);
        assertThat(otherOrigin.statusCode()).isEqualTo(401);
        assertThat(noCsrf.statusCode()).isEqualTo(403);
        assertThat(noCsrf.body()).contains("CSRF_TOKEN_MISSING");
        assertThat(gateway.seen.size()).isEqualTo(before);
    }

    @Test
    void noCredentialReachesTheBrowser() throws Exception {
        for (String file : new String[] {"", "app.js", "api.js", "new-job.js", "schema.json"}) {
            HttpResponse<String> answer = HTTP.send(HttpRequest.newBuilder(base().resolve("/console/" + file)).header("Cookie", cookie).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(answer.statusCode()).as(file).isEqualTo(200);
            assertThat(answer.body()).as(file).doesNotContain(USER.accessKeyId()).doesNotContain(USER.secretAccessKey());
            assertThat(answer.headers().map().toString()).as(file).doesNotContain(USER.secretAccessKey());
        }
        HttpResponse<String> traversal = HTTP.send(HttpRequest.newBuilder(base().resolve("/console/..%2F..%2Fopenapi.yaml")).build(),
                HttpResponse.BodyHandlers.ofString());
        // an encoded slash is refused by the HTTP parser itself, in the API's error shape
        assertThat(traversal.statusCode()).isEqualTo(400);
        assertThat(traversal.body()).contains("\"code\":\"BAD_REQUEST\"").doesNotContain("openapi:");
    }
}
