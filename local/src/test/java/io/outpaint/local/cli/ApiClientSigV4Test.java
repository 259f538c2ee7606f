package io.outpaint.local.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;

/** Without a local API key, the CLI signs its requests as API Gateway's IAM authorization expects. */
class ApiClientSigV4Test {

    @Test
    void signsWithSigV4ForExecuteApiFromTheDefaultCredentials() throws Exception {
        Map<String, String> seen = new ConcurrentHashMap<>();
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 4);
        server.createContext("/", exchange -> {
            exchange.getRequestHeaders().forEach((k, v) -> seen.put(k.toLowerCase(), v.get(0)));
            byte[] body = "{\"jobs\":[]}".getBytes();
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
        String id = System.getProperty("aws.accessKeyId");
        String secret = System.getProperty("aws.secretAccessKey");
        System.setProperty("aws.accessKeyId", "AKIDEXAMPLE");
        System.setProperty("aws.secretAccessKey", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY");
        try {
            ApiClient client = new ApiClient("http://127.0.0.1:" + server.getAddress().getPort(), null, "eu-west-1");
            ApiClient.Answer answer = client.get("/jobs?limit=5");
            assertThat(answer.ok()).isTrue();
            assertThat(seen.get("authorization")).startsWith("AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/")
                    .contains("/eu-west-1/execute-api/aws4_request").contains("SignedHeaders=").contains("Signature=");
            assertThat(seen).containsKey("x-amz-date").doesNotContainKey("x-api-key");
            assertThat(seen.get("authorization")).doesNotContain("wJalrXUtnFEMI");
        } finally {
            server.stop(0);
            restore("aws.accessKeyId", id);
            restore("aws.secretAccessKey", secret);
        }
    }

    private static void restore(String name, String value) {
        if (value == null) {
            System.clearProperty(name);
        } else {
            System.setProperty(name, value);
        }
    }
}
