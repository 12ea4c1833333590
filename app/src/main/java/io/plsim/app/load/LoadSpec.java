package io.plsim.app.load;

import io.plsim.dataplane.Transport;
import java.time.Duration;

/**
 * One load run, validated: what to send, where, how fast and for how long.
 *
 * @param rate               requests per second for {@code rr} and {@code churn}; 0 for as fast as possible
 * @param connections        connections ({@code rr}, {@code closed}, {@code bulk}) or concurrent connections
 *                           at most ({@code churn})
 * @param requests           stop after this many requests; 0 for no limit but the duration
 * @param payloadSize        bytes per request; the answer is expected to be as long (an echo)
 * @param http               send HTTP/1.1 GET requests instead, and read one HTTP response each
 * @param timeout            connect timeout, and the longest a request may take from its intended send time
 * @param bytesPerConnection {@code bulk}: bytes each connection sends; 0 for until the duration ends
 * @param ioThreads          event loop threads; 0 for one per core (never more than connections)
 * @param liveLines          print a line every second
 * @param dnsTtl             for a target given by name: how long a DNS answer is used before it is asked again
 * @param api                a running plsim's API, asked which zone and interface each address is; or null
 * @param allowLate          exit 0 from a run that is unreliable for plsim load's own lateness ({@link Reliability})
 */
public record LoadSpec(LoadTarget target, LoadMode mode, double rate, int connections, Duration duration,
                       long requests, int payloadSize, boolean http, String httpPath, boolean proxyV2,
                       Duration timeout, long bytesPerConnection, double maxErrorRatio, Transport transport,
                       int ioThreads, boolean liveLines, Duration dnsTtl, java.net.URI api,
                       boolean allowLate) {

    /** Whether requests follow a timetable (open loop) rather than each other (closed loop). */
    public boolean openLoop() {
        return mode.hasLatency() && rate > 0 && mode != LoadMode.CLOSED;
    }

    /**
     * The same load for a warm-up: {@code duration} long, without a request limit or live lines. Its
     * figures are thrown away; it lets the JIT compilers of both ends (and any cache of the target)
     * settle, which an open-loop run cannot otherwise recover from: a backlog of its first, slow
     * second is still there at the end.
     */
    public LoadSpec warmup(Duration duration) {
        return new LoadSpec(target, mode, rate, connections, duration, 0, payloadSize, http, httpPath, proxyV2,
                timeout, bytesPerConnection, 1.0, transport, ioThreads, false, dnsTtl, null, true);
    }

    /** One line describing the workload, for the report. */
    public String describe() {
        StringBuilder b = new StringBuilder();
        b.append("mode ").append(mode.label());
        if (mode == LoadMode.RR || mode == LoadMode.CHURN) {
            b.append("  rate ").append(Units.formatRate(rate));
        }
        b.append("  connections ").append(connections);
        if (mode == LoadMode.BULK) {
            b.append("  bytes/connection ").append(bytesPerConnection == 0 ? "until the end" : Units.formatSize(bytesPerConnection));
        } else if (http) {
            b.append("  HTTP GET ").append(httpPath);
        } else {
            b.append("  payload ").append(Units.formatSize(payloadSize));
        }
        if (proxyV2) {
            b.append("  proxy-header v2");
        }
        b.append("  duration ").append(Units.format(duration));
        if (requests > 0) {
            b.append("  requests ").append(requests);
        }
        b.append("  transport ").append(transport.name());
        return b.toString();
    }
}
