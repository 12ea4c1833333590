/**
 * plsim in a test's own JVM. The entry point is {@link io.plsim.embedded.PlsimWorld}: start a world
 * from a sim-config file, a classpath resource, YAML text or a {@link io.plsim.embedded.WorldSpec},
 * reach its API and DNS, drive its endpoints and faults through typed handles, wait on conditions
 * with deadlines, and close it to release every port, thread and address.
 */
package io.plsim.embedded;
