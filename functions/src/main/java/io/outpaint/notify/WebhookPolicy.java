package io.outpaint.notify;

import io.outpaint.config.PipelineConfig;
import io.outpaint.request.TextRules;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Which webhook URLs a deployment posts to: https to a public address. Checked when a job is
 * created and again at each delivery against what the name resolves to then (DNS rebinding).
 * {@code WEBHOOK_ALLOW_HTTP} (local runs) also allows plain http and loopback receivers, for tests;
 * private, link-local (the metadata service), multicast and unspecified addresses stay refused.
 */
public record WebhookPolicy(boolean allowHttp, boolean allowLoopback) {

    public static final WebhookPolicy STRICT = new WebhookPolicy(false, false);
    public static final int MAX_URL_CHARS = 2048;

    /** Resolves a host name to its addresses; the system's resolver unless a test gives another. */
    @FunctionalInterface
    public interface Resolver {
        InetAddress[] resolve(String host) throws UnknownHostException;

        Resolver SYSTEM = InetAddress::getAllByName;
    }

    private static final Pattern DOTTED_QUAD = Pattern.compile("(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)(\\.(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)){3}");
    private static final Pattern ENDS_IN_A_NUMBER = Pattern.compile("(.*\\.)?(\\d+|0x[0-9a-f]*)");

    public static WebhookPolicy of(PipelineConfig config) {
        return new WebhookPolicy(config.webhookAllowHttp(), config.webhookAllowHttp());
    }

    /** What is allowed, for error messages. */
    public String rule() {
        return "an absolute " + (allowHttp ? "http or https" : "https") + " URL of at most " + MAX_URL_CHARS
                + " characters, without credentials, whose host is a public address or a name resolving only to public"
                + " addresses (no loopback" + (allowLoopback ? " except here, where WEBHOOK_ALLOW_HTTP allows it for tests" : "")
                + ", private, link-local, unique-local, multicast, unspecified, documentation or benchmarking ranges, IPv4 inside"
                + " IPv6 judged as itself, numeric-encoded forms or invisible characters)";
    }

    /** The URL as given by a client, checked without connecting; the problem, if any. */
    public Optional<String> problemWith(String url, Resolver resolver) {
        Optional<String> invisible = invisibleCharacter(url);
        if (invisible.isPresent()) {
            return invisible;
        }
        Optional<URI> uri = parse(url);
        if (uri.isEmpty() && numericAuthority(url)) {
            return Optional.of("the host is a numeric-encoded address; write an IPv4 address as a.b.c.d, or use a name");
        }
        if (uri.isEmpty()) {
            return Optional.of("not an absolute " + (allowHttp ? "http(s)" : "https") + " URL with a host and no credentials");
        }
        try {
            addressesOf(uri.get().getHost(), resolver);
            return Optional.empty();
        } catch (WebhookRefusedException e) {
            return Optional.of(e.getMessage());
        }
    }

    /**
     * An invisible format character in the URL (a bidirectional control such as U+202E, which shows
     * the URL's text in another order than it is read, or a zero-width space), named with its place.
     */
    private static Optional<String> invisibleCharacter(String url) {
        if (url == null) {
            return Optional.empty();
        }
        for (int i = 0; i < url.length(); i = url.offsetByCodePoints(i, 1)) {
            int c = url.codePointAt(i);
            if (Character.getType(c) == Character.FORMAT) {
                boolean bidi = Character.getDirectionality(c) >= Character.DIRECTIONALITY_LEFT_TO_RIGHT_EMBEDDING
                        || c == 0x200e || c == 0x200f || c == 0x061c;
                return Optional.of(String.format("the URL holds U+%04X at character %d, an invisible %s; write the URL without it",
                        c, i, bidi ? "bidirectional control" : "format character"));
            }
        }
        return Optional.empty();
    }

    /** Whether the URL's authority is a number in disguise that {@link URI} would not take as a host (127.1). */
    private static boolean numericAuthority(String url) {
        try {
            String authority = new URI(url).getRawAuthority();
            return authority != null && ENDS_IN_A_NUMBER.matcher(authority.replaceFirst(":\\d*$", "").toLowerCase(Locale.ROOT)).matches();
        } catch (URISyntaxException e) {
            return false;
        }
    }

    /** The URL's shape: scheme, host and no credentials. */
    public Optional<URI> parse(String url) {
        if (url == null || url.length() > MAX_URL_CHARS || !TextRules.isClean(url) || url.chars().anyMatch(Character::isWhitespace)
                || invisibleCharacter(url).isPresent()) {
            return Optional.empty();
        }
        try {
            URI uri = new URI(url);
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            boolean schemeOk = scheme.equals("https") || (allowHttp && scheme.equals("http"));
            return schemeOk && uri.getHost() != null && uri.getRawUserInfo() == null && uri.isAbsolute()
                    ? Optional.of(uri) : Optional.empty();
        } catch (URISyntaxException e) {
            return Optional.empty();
        }
    }

    /** Every address {@code host} resolves to now, each one allowed; else {@link WebhookRefusedException}. */
    public InetAddress[] addressesOf(String host, Resolver resolver) {
        String name = host.toLowerCase(Locale.ROOT);
        if (name.startsWith("[") && name.endsWith("]")) {
            return checked(host, literal(name.substring(1, name.length() - 1)));
        }
        name = name.endsWith(".") ? name.substring(0, name.length() - 1) : name;
        if (DOTTED_QUAD.matcher(name).matches()) {
            return checked(host, literal(name));
        }
        if (ENDS_IN_A_NUMBER.matcher(name).matches()) {
            // 2130706433, 0x7f.1, 0177.0.0.1, 127.1: what browsers and resolvers read as IPv4 in disguise
            throw new WebhookRefusedException(host + " is a numeric-encoded address; write an IPv4 address as a.b.c.d, or use a name");
        }
        if (name.equals("localhost") || name.endsWith(".localhost")) {
            if (allowLoopback) {
                return new InetAddress[] {InetAddress.getLoopbackAddress()};
            }
            throw new WebhookRefusedException(host + " is loopback");
        }
        try {
            return checked(host, resolver.resolve(name));
        } catch (UnknownHostException e) {
            throw new WebhookRefusedException(host + " does not resolve");
        }
    }

    private InetAddress[] checked(String host, InetAddress... addresses) {
        if (addresses.length == 0) {
            throw new WebhookRefusedException(host + " does not resolve");
        }
        for (InetAddress address : addresses) {
            Optional<String> kind = AddressKind.of(address);
            if (kind.isPresent() && !(allowLoopback && kind.get().equals(AddressKind.LOOPBACK))) {
                throw new WebhookRefusedException(host + (host.equals(address.getHostAddress()) ? "" : " resolves to "
                        + address.getHostAddress() + ", which") + " is " + kind.get() + "; webhooks go to public addresses only");
            }
        }
        return addresses;
    }

    private static InetAddress literal(String address) {
        try {
            return InetAddress.getByName(address); // a literal: parsed, never looked up
        } catch (UnknownHostException e) {
            throw new WebhookRefusedException(address + " is not an IP address");
        }
    }
}
