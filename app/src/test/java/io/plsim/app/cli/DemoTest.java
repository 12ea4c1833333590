package io.plsim.app.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.plsim.dataplane.LeakCheck;
import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * {@code plsim demo} runs unattended to exit 0 on its embedded world (127.201.0.0/16 and
 * 127.202.0.0/16, fixed by {@code demo-world.yaml}), with every step as PrivateLink behaves.
 */
@ExtendWith(LeakCheck.class)
class DemoTest {

    @Test
    void aTransportThisMachineLacksIsRefusedByName() {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int exit = Plsim.run(new PrintWriter(out, true), new PrintWriter(err, true), "demo", "--transport", "kqueue");
        assertEquals(2, exit, out + "\n" + err);
        assertTrue(err.toString().contains("--transport: expected one of auto, io_uring, epoll, nio, found kqueue"), err.toString());
    }

    @Test
    void demoRunsToExitZeroWithEveryStepBehaving() {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int exit = Plsim.run(new PrintWriter(out, true), new PrintWriter(err, true), "demo", "--connections", "50");
        String transcript = "stdout:\n" + out + "\nstderr:\n" + err;
        assertEquals(0, exit, transcript);
        assertTrue(out.toString().contains("every step behaved"), transcript);
        assertEquals("", err.toString(), transcript);
        // The first line names the transport the demo runs on, as --transport auto chose it.
        String chosen = io.plsim.dataplane.Transport.choose("auto").describe();
        assertTrue(out.toString().startsWith("plsim demo on " + chosen + ": "), transcript);
        // Both of the endpoint's interfaces listed, and each carried its 50 flows in steps 4 and 5.
        assertEquals(2, java.util.regex.Pattern.compile("(?m)^  endpoint vpce-\\S+ us-east-1[ab] ").matcher(out.toString())
                .results().count(), transcript);
        assertEquals(2, java.util.regex.Pattern.compile("127\\.\\d+\\.\\d+\\.\\d+:\\d+: 50, 127\\.\\d+\\.\\d+\\.\\d+:\\d+: 50")
                .matcher(out.toString()).results().count(), transcript);
    }
}
