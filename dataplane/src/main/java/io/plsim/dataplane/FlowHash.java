package io.plsim.dataplane;

/**
 * The flow hash an NLB node picks a target with: protocol, source address and port, destination
 * address and port, and a per-connection value standing in for the TCP sequence number, so that two
 * connections of the same client from the same port (one after the other) may land on different
 * targets, as on NLB.
 */
final class FlowHash {

    static final int TCP = 6;

    private FlowHash() {
    }

    static int of(int srcIp, int srcPort, int dstIp, int dstPort, int sequence) {
        long h = ((long) srcIp << 32) ^ (dstIp & 0xffffffffL);
        h ^= ((long) srcPort << 48) ^ ((long) dstPort << 32) ^ ((long) TCP << 24);
        h = mix(h ^ mix(sequence & 0xffffffffL));
        return (int) (h ^ (h >>> 32));
    }

    /** MurmurHash3's 64-bit finaliser: every input bit reaches every output bit. */
    private static long mix(long z) {
        z = (z ^ (z >>> 33)) * 0xff51afd7ed558ccdL;
        z = (z ^ (z >>> 33)) * 0xc4ceb9fe1a85ec53L;
        return z ^ (z >>> 33);
    }
}
