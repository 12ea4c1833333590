package io.plsim.app.scenario;

import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.util.Arrays;

/**
 * One request of the scenario's built-in client: a new connection to an endpoint interface, a
 * payload, and its echo back within a timeout. Blocking sockets, bounded by the timeout on every
 * step, on a thread of the runner's pool.
 */
final class ScenarioClient {

    /** How a request ended. */
    enum Outcome {
        OK, TIMEOUT, RESET, REFUSED, CLOSED, WRONG_ANSWER, NO_ADDRESS;

        String label() {
            return name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
        }
    }

    private ScenarioClient() {
    }

    static Outcome request(String ip, int port, byte[] payload, int timeoutMillis) {
        try (Socket s = new Socket()) {
            s.setSoLinger(true, 0);
            s.connect(new InetSocketAddress(ip, port), timeoutMillis);
            s.setSoTimeout(timeoutMillis);
            s.getOutputStream().write(payload);
            byte[] answer = new byte[payload.length];
            InputStream in = s.getInputStream();
            int got = 0;
            while (got < answer.length) {
                int n = in.read(answer, got, answer.length - got);
                if (n < 0) {
                    return Outcome.CLOSED;
                }
                got += n;
            }
            return Arrays.equals(answer, payload) ? Outcome.OK : Outcome.WRONG_ANSWER;
        } catch (SocketTimeoutException e) {
            return Outcome.TIMEOUT;
        } catch (ConnectException e) {
            return String.valueOf(e.getMessage()).contains("timed out") ? Outcome.TIMEOUT : Outcome.REFUSED;
        } catch (SocketException e) {
            return Outcome.RESET;
        } catch (IOException e) {
            return Outcome.RESET;
        }
    }
}
