package dev.nvae.cli.serve;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * serve's virtual threads get one carrier more than its lanes, so that requests computing on every lane
 * cannot leave the server unable to read a body, answer /health or refuse with 503; a value the user set
 * with -D is kept.
 */
class CarrierReserveTest {
    private String saved;

    @BeforeEach
    void save() {
        saved = System.getProperty(ServeCommand.CARRIERS);
        System.clearProperty(ServeCommand.CARRIERS);
    }

    @AfterEach
    void restore() {
        if (saved == null) System.clearProperty(ServeCommand.CARRIERS);
        else System.setProperty(ServeCommand.CARRIERS, saved);
    }

    @Test
    void asManyLanesAsProcessorsLeaveOneCarrierFree() {
        int processors = Runtime.getRuntime().availableProcessors();
        ServeCommand.reserveCarrier(processors);
        assertEquals(Integer.toString(processors + 1), System.getProperty(ServeCommand.CARRIERS));
    }

    @Test
    void fewerLanesKeepTheDefaultCarriers() {
        int processors = Runtime.getRuntime().availableProcessors();
        ServeCommand.reserveCarrier(Math.max(1, processors - 1));
        assertEquals(Integer.toString(processors), System.getProperty(ServeCommand.CARRIERS));
    }

    @Test
    void aValueTheUserGaveStays() {
        System.setProperty(ServeCommand.CARRIERS, "7");
        ServeCommand.reserveCarrier(64);
        assertEquals("7", System.getProperty(ServeCommand.CARRIERS));
    }
}
