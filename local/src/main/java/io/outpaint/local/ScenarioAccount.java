package io.outpaint.local;

import io.outpaint.scenario.ScenarioSettings;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Scenario's real API for a local run: its base URL, and the key and secret taken from the
 * environment. Neither is ever printed: {@link #toString()} names the URL only.
 */
public final class ScenarioAccount {

    public static final String KEY_VARIABLE = "SCENARIO_API_KEY";
    public static final String SECRET_VARIABLE = "SCENARIO_API_SECRET";
    private static final Set<String> LOOPBACK = Set.of("127.0.0.1", "localhost", "[::1]");

    private final URI apiUrl;
    private final String key;
    private final String secret;

    private ScenarioAccount(URI apiUrl, String key, String secret) {
        this.apiUrl = apiUrl;
        this.key = key;
        this.secret = secret;
    }

    /**
     * The account the environment gives, at {@code url} (default Scenario's production API), or
     * empty when neither variable is set: then the simulator stands in.
     *
     * @throws IllegalArgumentException for one variable without the other, a URL without a key, or a bad URL
     */
    public static Optional<ScenarioAccount> fromEnvironment(Map<String, String> env, Optional<String> url) {
        String key = blankToNull(env.get(KEY_VARIABLE));
        String secret = blankToNull(env.get(SECRET_VARIABLE));
        if (key == null && secret == null) {
            if (url.isPresent()) {
                throw new IllegalArgumentException("--scenario-url needs " + KEY_VARIABLE + " and " + SECRET_VARIABLE
                        + " in the environment (without them the simulator runs and no URL is used)");
            }
            return Optional.empty();
        }
        if (key == null || secret == null) {
            throw new IllegalArgumentException((key == null ? SECRET_VARIABLE + " is set but " + KEY_VARIABLE
                    : KEY_VARIABLE + " is set but " + SECRET_VARIABLE) + " is not: set both to use Scenario, or neither for the simulator");
        }
        return Optional.of(new ScenarioAccount(checkedUrl(url.orElse(ScenarioSettings.PRODUCTION.toString())), key, secret));
    }

    private static URI checkedUrl(String value) {
        String rule = "--scenario-url must be an https URL such as " + ScenarioSettings.PRODUCTION
                + " (plain http only to 127.0.0.1 or localhost)";
        URI uri;
        try {
            uri = new URI(value);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException(rule + "; it is not a URL");
        }
        boolean https = "https".equals(uri.getScheme());
        boolean localHttp = "http".equals(uri.getScheme()) && uri.getHost() != null && LOOPBACK.contains(uri.getHost());
        if (!uri.isAbsolute() || uri.getHost() == null || !(https || localHttp)) {
            throw new IllegalArgumentException(rule);
        }
        // the key goes in a header; credentials, queries or fragments in the URL would end up in logs
        if (uri.getUserInfo() != null || uri.getQuery() != null || uri.getFragment() != null) {
            throw new IllegalArgumentException(rule + ", with no user, query or fragment");
        }
        return uri;
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value.trim();
    }

    public URI apiUrl() {
        return apiUrl;
    }

    String key() {
        return key;
    }

    String secret() {
        return secret;
    }

    @Override
    public String toString() {
        return "ScenarioAccount[" + apiUrl + ", key and secret redacted]";
    }
}
