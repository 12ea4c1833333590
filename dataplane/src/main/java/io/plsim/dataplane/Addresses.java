package io.plsim.dataplane;

import java.net.InetAddress;
import java.net.UnknownHostException;

/** IPv4 addresses as the control plane keeps them (ints) to and from {@link InetAddress}. */
final class Addresses {

    private Addresses() {
    }

    static InetAddress inet(int ipv4) {
        try {
            return InetAddress.getByAddress(new byte[] {
                (byte) (ipv4 >>> 24), (byte) (ipv4 >>> 16), (byte) (ipv4 >>> 8), (byte) ipv4});
        } catch (UnknownHostException e) {
            throw new IllegalStateException("four bytes are always an address", e);
        }
    }

    static int ipv4(InetAddress address) {
        byte[] b = address.getAddress();
        if (b.length != 4) {
            throw new IllegalArgumentException("not an IPv4 address: " + address);
        }
        return (b[0] & 0xff) << 24 | (b[1] & 0xff) << 16 | (b[2] & 0xff) << 8 | (b[3] & 0xff);
    }
}
