/**
 * Proxy Protocol, a leaf that knows nothing of the rest: the v2 header NLB sends (with the AWS TLV
 * carrying the endpoint ID, and CRC32C), its parser, and decoders for v1 and v2. The entry point of
 * the data path is {@link io.plsim.dataplane.proxy.ProxyHeaderWriter}; readers start at
 * {@link io.plsim.dataplane.proxy.ProxyHeaderParser}.
 */
package io.plsim.dataplane.proxy;
