package io.outpaint.notify;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Webhook URLs as a client gives them: each form of an inside address is refused, with its kind named. */
class WebhookPolicyTest {

    /** Names for the tests, resolved without a network. */
    static final WebhookPolicy.Resolver NAMES = host -> {
        Map<String, String> table = Map.of("hooks.example.com", "93.184.216.34", "inside.example.com", "10.1.2.3",
                "metadata.example.com", "169.254.169.254", "rebind.example.com", "127.0.0.1", "v6.example.com", "2606:4700::1111");
        if (!table.containsKey(host)) {
            throw new UnknownHostException(host);
        }
        return new InetAddress[] {InetAddress.getByName(table.get(host))};
    };

    @ParameterizedTest(name = "{0} is refused as {1}")
    @CsvSource(delimiter = '|', value = {
            "https://127.0.0.1/hook|loopback", "https://127.8.9.10/hook|loopback", "https://localhost/hook|loopback",
            "https://api.localhost/hook|loopback", "https://[::1]/hook|loopback", "https://[::ffff:127.0.0.1]/hook|loopback",
            "https://[::127.0.0.1]/hook|loopback", "https://[64:ff9b::7f00:1]/hook|loopback", "https://[2002:7f00:1::]/hook|loopback",
            "https://169.254.169.254/latest/meta-data|link-local", "https://[fe80::1]/hook|link-local",
            "https://[fd00:ec2::254]/hook|unique-local", "https://[fc00::1]/hook|unique-local",
            "https://10.0.0.5/hook|private", "https://172.16.0.1/hook|private", "https://192.168.1.1/hook|private",
            "https://100.64.0.1/hook|private", "https://224.0.0.1/hook|multicast", "https://[ff02::1]/hook|multicast",
            "https://0.0.0.0/hook|unspecified", "https://[::]/hook|unspecified", "https://255.255.255.255/hook|reserved",
            "https://2130706433/hook|numeric-encoded", "https://0x7f000001/hook|numeric-encoded", "https://0177.0.0.1/hook|numeric-encoded",
            "https://127.1/hook|numeric-encoded", "https://10.1/hook|numeric-encoded", "https://017700000001/hook|numeric-encoded",
            "https://inside.example.com/hook|private", "https://metadata.example.com/hook|link-local",
            "https://rebind.example.com/hook|loopback", "https://nowhere.example.com/hook|does not resolve"})
    void refusesEveryFormOfAnInsideAddress(String url, String kind) {
        assertThat(WebhookPolicy.STRICT.problemWith(url, NAMES)).hasValueSatisfying(p -> assertThat(p).contains(kind));
    }

    @ParameterizedTest(name = "{0} is refused")
    @ValueSource(strings = {"http://93.184.216.34/hook", "http://hooks.example.com/hook", "ftp://hooks.example.com/x",
            "https://user:pw@hooks.example.com/hook", "https:///hook", "/hook", "https://hooks.example.com/a b",
            "https://hooks.example.com/\u0000", "javascript:alert(1)", "https://0x7f.1/hook"})
    void refusesOtherSchemesCredentialsAndBrokenUrls(String url) {
        assertThat(WebhookPolicy.STRICT.problemWith(url, NAMES)).isPresent();
    }

    @ParameterizedTest(name = "{0} is accepted")
    @ValueSource(strings = {"https://hooks.example.com/hook", "https://93.184.216.34:8443/hook?x=1", "https://v6.example.com/h",
            "https://[2606:4700::1111]/hook", "https://HOOKS.example.com./hook"})
    void acceptsPublicHttpsReceivers(String url) {
        assertThat(WebhookPolicy.STRICT.problemWith(url, NAMES)).isEmpty();
    }

    @Test
    void theLocalSettingAllowsHttpAndLoopbackOnlyAndSaysSo() {
        WebhookPolicy local = new WebhookPolicy(true, true);
        assertThat(local.problemWith("http://127.0.0.1:8080/hook", NAMES)).isEmpty();
        assertThat(local.problemWith("http://localhost:8080/hook", NAMES)).isEmpty();
        assertThat(local.problemWith("http://[::1]:8080/hook", NAMES)).isEmpty();
        assertThat(local.problemWith("http://169.254.169.254/latest/meta-data", NAMES)).hasValueSatisfying(p -> assertThat(p).contains("link-local"));
        assertThat(local.problemWith("http://10.0.0.5/hook", NAMES)).hasValueSatisfying(p -> assertThat(p).contains("private"));
        assertThat(local.problemWith("http://2130706433/hook", NAMES)).isPresent();
        assertThat(local.rule()).contains("WEBHOOK_ALLOW_HTTP");
        assertThat(WebhookPolicy.STRICT.rule()).doesNotContain("WEBHOOK_ALLOW_HTTP").contains("https");
    }
}
