/**
 * The HTTP front door of a running plsim: the EC2 Query API (for the AWS CLI and
 * SDKs) over core's {@code QueryApi} (EC2 and ELBv2), the admin JSON routes (world, faults, events), and Prometheus
 * metrics. The entry point is {@link io.plsim.app.api.ApiServer}.
 */
package io.plsim.app.api;
