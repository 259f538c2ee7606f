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

    @ParameterizedTest(name = "{0} is refused as {1}")
    @CsvSource(delimiter = '|', value = {
            // mapped, IPv4-translated and compatible
            "https://[::ffff:10.0.0.5]/h|private", "https://[::ffff:0:127.0.0.1]/h|loopback", "https://[::ffff:0:a9fe:a9fe]/h|link-local",
            "https://[0:0:0:0:ffff:0:a00:5]/h|private", "https://[::169.254.169.254]/h|link-local",
            // NAT64, well-known and local-use (the IPv4 address at each place RFC 6052 allows)
            "https://[64:ff9b::10.0.0.5]/h|private", "https://[64:ff9b::a9fe:a9fe]/h|link-local",
            "https://[64:ff9b:1::7f00:1]/h|loopback (127.0.0.1 inside a NAT64 local-use address, read with a /96 prefix)",
            "https://[64:ff9b:1::a00:5]/h|private (10.0.0.5 inside a NAT64 local-use address, read with a /96 prefix)",
            "https://[64:ff9b:1:a00:5::]/h|NAT64 local-use", "https://[64:ff9b:1:7f:0:100::]/h|NAT64 local-use",
            "https://[64:ff9b:1:ff:7f:0:100:0]/h|NAT64 local-use",
            // a public address read with a /96 prefix is not one read with a /64 prefix: refused
            "https://[64:ff9b:1::5db8:d822]/h|reserved (this network) (0.0.0.93 inside a NAT64 local-use address, read with a /64 prefix)",
            // 6to4 and Teredo (its server, and its client stored inverted)
            "https://[2002:a00:5::1]/h|private", "https://[2002:a9fe:a9fe::]/h|link-local",
            "https://[2001:0:a00:5::1]/h|private", "https://[2001:0:5db8:d822:0:0:80ff:fffe]/h|loopback",
            // documentation and benchmarking
            "https://192.0.2.10/h|documentation", "https://198.51.100.7/h|documentation", "https://203.0.113.200/h|documentation",
            "https://198.18.0.1/h|benchmarking", "https://198.19.255.254/h|benchmarking", "https://[2001:db8::1]/h|documentation",
            "https://[3fff:fff::1]/h|documentation", "https://[2001:2::1]/h|benchmarking", "https://[::ffff:192.0.2.1]/h|documentation",
            "https://[64:ff9b::203.0.113.9]/h|documentation", "https://[2002:c633:6401::]/h|documentation",
            "https://[100::1]/h|discard-only", "https://192.88.99.1/h|6to4 relay"})
    void judgesEveryIpv6FormThatCarriesIpv4ByTheIpv4InsideAndRefusesDocumentationRanges(String url, String kind) {
        assertThat(WebhookPolicy.STRICT.problemWith(url, NAMES)).hasValueSatisfying(p -> assertThat(p).contains(kind));
    }

    @ParameterizedTest(name = "{0} is accepted: the IPv4 inside is public")
    @ValueSource(strings = {"https://[64:ff9b::93.184.216.34]/h", "https://[2002:5db8:d822::1]/h",
            "https://[64:ff9b:1:5db8:d822:5db8:d822:5db8]/h",
            "https://[2001:0:5db8:d822:0:0:a247:27dd]/h", "https://198.20.0.1/h", "https://192.0.3.1/h", "https://203.0.114.1/h"})
    void acceptsEmbeddedPublicIpv4AndTheNeighboursOfTheDocumentationRanges(String url) {
        assertThat(WebhookPolicy.STRICT.problemWith(url, NAMES)).isEmpty();
    }

    @ParameterizedTest(name = "U+{0} in the URL is refused")
    @ValueSource(strings = {"202e", "202a", "202b", "202c", "202d", "2066", "2067", "2068", "2069", "200e", "200f", "061c", "200b", "feff"})
    void refusesBidirectionalControlsAndOtherInvisibleCharactersNamingThem(String code) {
        char c = (char) Integer.parseInt(code, 16);
        for (String url : new String[] {"https://hooks.example.com/" + c + "kooh", "https://hooks.example.com" + c + "/h",
                "https://hooks.example.com/h?x=" + c}) {
            assertThat(WebhookPolicy.STRICT.problemWith(url, NAMES)).as(url).hasValueSatisfying(p ->
                    assertThat(p).contains("U+" + code.toUpperCase()).contains(code.startsWith("20") && !code.equals("200b")
                            || code.equals("061c") ? "bidirectional control" : "invisible"));
            assertThat(WebhookPolicy.STRICT.parse(url)).as(url).isEmpty();
        }
    }
}
