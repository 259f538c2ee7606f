package io.outpaint.notify;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** What an address is when it is not a public unicast one: the kinds a webhook must never reach. */
final class AddressKind {

    static final String LOOPBACK = "loopback";

    /** A range given as its first bytes and prefix length, and what an address in it is. */
    private record Range(int[] prefix, int bits, String kind) {
        boolean contains(byte[] address) {
            for (int bit = 0; bit < bits; bit += 8) {
                int mask = bits - bit >= 8 ? 0xff : (0xff << (8 - (bits - bit))) & 0xff;
                if (((address[bit / 8] & 0xff) & mask) != (prefix[bit / 8] & mask)) {
                    return false;
                }
            }
            return true;
        }
    }

    // beyond what InetAddress itself tells (loopback, link-local, private, multicast, unspecified)
    private static final List<Range> V4 = List.of(
            new Range(new int[] {0}, 8, "reserved (this network)"),
            new Range(new int[] {100, 64}, 10, "private (shared, carrier-grade NAT)"),
            new Range(new int[] {192, 0, 0}, 24, "reserved (IETF protocol assignments)"),
            new Range(new int[] {192, 0, 2}, 24, "reserved (documentation, TEST-NET-1)"),
            new Range(new int[] {198, 51, 100}, 24, "reserved (documentation, TEST-NET-2)"),
            new Range(new int[] {203, 0, 113}, 24, "reserved (documentation, TEST-NET-3)"),
            new Range(new int[] {198, 18}, 15, "reserved (benchmarking)"),
            new Range(new int[] {192, 88, 99}, 24, "reserved (the retired 6to4 relay anycast)"),
            new Range(new int[] {240}, 4, "reserved"));
    private static final List<Range> V6 = List.of(
            new Range(new int[] {0xfc}, 7, "unique-local"),
            new Range(new int[] {0x20, 0x01, 0x0d, 0xb8}, 32, "reserved (documentation)"),
            new Range(new int[] {0x3f, 0xff, 0x00}, 20, "reserved (documentation)"),
            new Range(new int[] {0x20, 0x01, 0x00, 0x02, 0x00, 0x00}, 48, "reserved (benchmarking)"),
            new Range(new int[] {0x01, 0x00, 0, 0, 0, 0, 0, 0}, 64, "reserved (discard-only)"));
    private static final Range NAT64_LOCAL = new Range(new int[] {0x00, 0x64, 0xff, 0x9b, 0x00, 0x01}, 48, "NAT64 local-use");

    private AddressKind() {}

    /** Empty for a public address; else its kind, an IPv4 address carried inside an IPv6 one judged as itself. */
    static Optional<String> of(InetAddress address) {
        if (address instanceof Inet6Address v6) {
            for (Embedded inner : embeddedV4(v6.getAddress())) {
                Optional<String> kind = of(inner.address());
                if (kind.isPresent()) {
                    return Optional.of(kind.get() + " (" + inner.address().getHostAddress() + " inside " + inner.form() + ")");
                }
            }
        }
        if (address.isLoopbackAddress()) {
            return Optional.of(LOOPBACK);
        }
        if (address.isAnyLocalAddress()) {
            return Optional.of("unspecified");
        }
        if (address.isLinkLocalAddress()) {
            return Optional.of("link-local (the metadata service lives there)");
        }
        if (address.isSiteLocalAddress()) {
            return Optional.of("private");
        }
        if (address.isMulticastAddress()) {
            return Optional.of("multicast");
        }
        byte[] b = address.getAddress();
        return (address instanceof Inet4Address ? V4 : V6).stream().filter(r -> r.contains(b)).map(Range::kind).findFirst();
    }

    /** An IPv4 address carried in an IPv6 one, and the form that carries it. */
    private record Embedded(InetAddress address, String form) {}

    /**
     * Every IPv4 address an IPv6 one carries or translates to: mapped ({@code ::ffff:a.b.c.d}),
     * IPv4-translated ({@code ::ffff:0:a.b.c.d}), compatible ({@code ::a.b.c.d}), NAT64's well-known
     * {@code 64:ff9b::/96} and local-use {@code 64:ff9b:1::/48} (at each place RFC 6052 puts it
     * for a prefix of 96, 64, 56 or 48 bits: which one a network uses cannot be told from the
     * address, and translators ignore the bits after it), 6to4 ({@code 2002::/16}) and Teredo ({@code 2001::/32}:
     * its server, and its client stored inverted).
     */
    private static List<Embedded> embeddedV4(byte[] b) {
        List<Embedded> found = new ArrayList<>();
        if (zero(b, 0, 10) && (b[10] & 0xff) == 0xff && (b[11] & 0xff) == 0xff) {
            found.add(v4(b, 12, 13, 14, 15, false, "an IPv4-mapped address"));
        } else if (zero(b, 0, 8) && (b[8] & 0xff) == 0xff && (b[9] & 0xff) == 0xff && zero(b, 10, 12)) {
            found.add(v4(b, 12, 13, 14, 15, false, "an IPv4-translated address"));
        } else if (zero(b, 0, 12) && !zero(b, 12, 15)) {
            // :: and ::1 are themselves (unspecified, loopback), not 0.0.0.0 and 0.0.0.1
            found.add(v4(b, 12, 13, 14, 15, false, "an IPv4-compatible address"));
        } else if ((b[0] & 0xff) == 0x00 && (b[1] & 0xff) == 0x64 && (b[2] & 0xff) == 0xff && (b[3] & 0xff) == 0x9b && zero(b, 4, 12)) {
            found.add(v4(b, 12, 13, 14, 15, false, "a NAT64 address"));
        } else if (NAT64_LOCAL.contains(b)) {
            // the prefix length is the network's own choice: every reading must be public
            found.add(v4(b, 12, 13, 14, 15, false, "a NAT64 local-use address, read with a /96 prefix"));
            found.add(v4(b, 9, 10, 11, 12, false, "a NAT64 local-use address, read with a /64 prefix"));
            found.add(v4(b, 7, 9, 10, 11, false, "a NAT64 local-use address, read with a /56 prefix"));
            found.add(v4(b, 6, 7, 9, 10, false, "a NAT64 local-use address, read with a /48 prefix"));
        } else if ((b[0] & 0xff) == 0x20 && (b[1] & 0xff) == 0x02) {
            found.add(v4(b, 2, 3, 4, 5, false, "a 6to4 address"));
        } else if ((b[0] & 0xff) == 0x20 && (b[1] & 0xff) == 0x01 && b[2] == 0 && b[3] == 0) {
            found.add(v4(b, 4, 5, 6, 7, false, "a Teredo address (its server)"));
            found.add(v4(b, 12, 13, 14, 15, true, "a Teredo address (its client)"));
        }
        return found;
    }

    private static boolean zero(byte[] b, int from, int to) {
        for (int i = from; i < to; i++) {
            if (b[i] != 0) {
                return false;
            }
        }
        return true;
    }

    private static Embedded v4(byte[] b, int i, int j, int k, int l, boolean inverted, String form) {
        int flip = inverted ? 0xff : 0;
        try {
            return new Embedded(InetAddress.getByAddress(new byte[] {(byte) (b[i] ^ flip), (byte) (b[j] ^ flip), (byte) (b[k] ^ flip),
                    (byte) (b[l] ^ flip)}), form);
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e); // four bytes are always an address
        }
    }
}
