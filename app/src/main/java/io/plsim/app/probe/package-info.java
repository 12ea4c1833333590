/**
 * {@code plsim probe}: a conformance test of a service's own Proxy Protocol parser. It sends NLB's
 * headers, the wider world's and malformed ones, one connection per case, and says of each whether the
 * service did what a correct parser does. The entry point is {@link io.plsim.app.probe.Prober}; the
 * cases are {@link io.plsim.app.probe.ProbeCases}.
 */
package io.plsim.app.probe;
