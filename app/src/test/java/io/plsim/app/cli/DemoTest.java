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
    void demoRunsToExitZeroWithEveryStepBehaving() {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int exit = Plsim.run(new PrintWriter(out, true), new PrintWriter(err, true), "demo", "--connections", "50");
        String transcript = "stdout:\n" + out + "\nstderr:\n" + err;
        assertEquals(0, exit, transcript);
        assertTrue(out.toString().contains("every step behaved"), transcript);
        assertEquals("", err.toString(), transcript);
    }
}
