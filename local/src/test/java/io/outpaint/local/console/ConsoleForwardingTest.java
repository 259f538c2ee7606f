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
 * local runtime; only the console page's own origin may use the forwarder.
 */
class ConsoleForwardingTest {

    private static final HttpClient HTTP = HttpClient.newHttpClient();
    // a user's credentials, distinct from the runtime's own, so that a leak of them would show
    private static final AwsBasicCredentials USER = AwsBasicCredentials.create("AKIACONSOLEUSER00001", "consoleUserSecret/0123456789abcdefABCDEF");
    private static LocalPipeline pipeline;
    private static SigV4Gateway gateway;
    private static ConsoleServer console;
    private static String cookie;

    @BeforeAll
    static void start() throws Exception {
        pipeline = LocalPipeline.start(LocalPipeline.Settings.interactive().withoutUploadTrigger());
        gateway = new SigV4Gateway(USER, "eu-west-1", pipeline.httpApi().url(), pipeline.httpApi().apiKey());
        console = new ConsoleServer(new SignedForwarder(gateway.uri(), "eu-west-1", StaticCredentialsProvider.create(USER)), 0);
        HttpResponse<String> page = HTTP.send(HttpRequest.newBuilder(URI.create(console.url())).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.body()).contains("<script type=\"module\" src=\"app.js\">");
        String setCookie = page.headers().firstValue("Set-Cookie").orElseThrow();
        assertThat(setCookie).contains("HttpOnly").contains("SameSite=Strict");
        cookie = setCookie.substring(0, setCookie.indexOf(';'));
    }

    @AfterAll
    static void stop() {
        console.close();
        gateway.close();
        pipeline.close();
    }

    private static HttpResponse<String> fromPage(String method, String path, String body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(console.url()).resolve(path)).header("Cookie", cookie)
                .header("Sec-Fetch-Site", "same-origin")
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
    void forwardsNothingForOtherOriginsOrWithoutTheSessionCookie() throws Exception {
        int before = gateway.seen.size();
        HttpResponse<String> noCookie = HTTP.send(HttpRequest.newBuilder(URI.create(console.url()).resolve("/jobs")).build(),
                HttpResponse.BodyHandlers.ofString());
        HttpResponse<String> otherSite = HTTP.send(HttpRequest.newBuilder(URI.create(console.url()).resolve("/jobs"))
                .header("Cookie", cookie).header("Sec-Fetch-Site", "same-site").build(), HttpResponse.BodyHandlers.ofString());
        HttpResponse<String> otherOrigin = HTTP.send(HttpRequest.newBuilder(URI.create(console.url()).resolve("/jobs"))
                .header("Cookie", cookie).header("Origin", "http://127.0.0.1:1").POST(HttpRequest.BodyPublishers.ofString("{}")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(noCookie.statusCode()).isEqualTo(401);
        assertThat(otherSite.statusCode()).isEqualTo(401);
        assertThat(otherOrigin.statusCode()).isEqualTo(401);
        assertThat(gateway.seen.size()).isEqualTo(before);
    }

    @Test
    void noCredentialReachesTheBrowser() throws Exception {
        for (String file : new String[] {"", "app.js", "api.js", "new-job.js", "schema.json"}) {
            HttpResponse<String> answer = HTTP.send(HttpRequest.newBuilder(URI.create(console.url() + file)).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(answer.statusCode()).as(file).isEqualTo(200);
            assertThat(answer.body()).as(file).doesNotContain(USER.accessKeyId()).doesNotContain(USER.secretAccessKey());
            assertThat(answer.headers().map().toString()).as(file).doesNotContain(USER.secretAccessKey());
        }
        HttpResponse<String> traversal = HTTP.send(HttpRequest.newBuilder(URI.create(console.url() + "..%2F..%2Fopenapi.yaml")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(traversal.statusCode()).isEqualTo(404);
    }
}
