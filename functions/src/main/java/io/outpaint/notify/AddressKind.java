package io.outpaint.notify;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Optional;

/** What an address is when it is not a public unicast one: the kinds a webhook must never reach. */
final class AddressKind {

    static final String LOOPBACK = "loopback";

    private AddressKind() {}

    /** Empty for a public address; else its kind, IPv4 hidden in IPv6 included. */
    static Optional<String> of(InetAddress address) {
        if (address instanceof Inet6Address v6) {
            Optional<InetAddress> embedded = embeddedV4(v6.getAddress());
            if (embedded.isPresent()) {
                return of(embedded.get());
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
        int b0 = b[0] & 0xff;
        int b1 = b[1] & 0xff;
        if (address instanceof Inet4Address) {
            if (b0 == 0 || b0 >= 240) {
                return Optional.of("reserved");
            }
            if (b0 == 100 && b1 >= 64 && b1 < 128) {
                return Optional.of("private (shared, carrier-grade NAT)");
            }
            if (b0 == 192 && b1 == 0 && (b[2] & 0xff) == 0 || b0 == 198 && (b1 == 18 || b1 == 19)) {
                return Optional.of("reserved");
            }
            return Optional.empty();
        }
        if ((b0 & 0xfe) == 0xfc) {
            return Optional.of("unique-local");
        }
        if (b0 == 0x20 && b1 == 0x01 && b[2] == 0 && b[3] == 0) {
            return Optional.of("a Teredo tunnel address");
        }
        if (b0 == 0x20 && b1 == 0x01 && (b[2] & 0xff) == 0x0d && (b[3] & 0xff) == 0xb8) {
            return Optional.of("reserved (documentation)");
        }
        return Optional.empty();
    }

    /** The IPv4 address inside an IPv4-compatible (::a.b.c.d), NAT64 (64:ff9b::/96) or 6to4 (2002::/16) one. */
    private static Optional<InetAddress> embeddedV4(byte[] b) {
        boolean compatible = true;
        for (int i = 0; i < 12; i++) {
            compatible &= b[i] == 0;
        }
        boolean nat64 = (b[0] & 0xff) == 0 && (b[1] & 0xff) == 0x64 && (b[2] & 0xff) == 0xff && (b[3] & 0xff) == 0x9b;
        for (int i = 4; nat64 && i < 12; i++) {
            nat64 = b[i] == 0;
        }
        try {
            if ((compatible && !(b[12] == 0 && b[13] == 0 && b[14] == 0)) || nat64) {
                return Optional.of(InetAddress.getByAddress(new byte[] {b[12], b[13], b[14], b[15]}));
            }
            if ((b[0] & 0xff) == 0x20 && (b[1] & 0xff) == 0x02) {
                return Optional.of(InetAddress.getByAddress(new byte[] {b[2], b[3], b[4], b[5]}));
            }
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e); // four bytes are always an address
        }
        return Optional.empty();
    }
}
