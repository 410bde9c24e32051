package dev.nvae.cli;

import dev.nvae.NvaeException;
import dev.nvae.backend.Backend;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The start-up helpers: the backend opened beside the model load, and the raw-argument scan of the preload. */
class StartupTest {
    @Test
    void aBackendOpenedInTheBackgroundIsHandedOverAndClosedWithTheOpening() {
        Backend backend;
        try (BackendOpening opening = BackendOpening.start("vector", 2)) {
            backend = opening.get();
            assertEquals("vector", backend.name());
            assertEquals(2, backend.threads());
        }
        // Closed by the opening: a closed vector backend's pool refuses work.
        assertThrows(IllegalStateException.class, () -> backend.workers().run((w, n) -> { }));
    }

    @Test
    void whatOpeningThrewIsRethrownByGetAndNotByClose() {
        BackendOpening opening = BackendOpening.start("fastest", 2);
        NvaeException e = assertThrows(NvaeException.class, opening::get);
        assertEquals("--backend fastest: expected vector, onednn, auto or cuda", e.getMessage());
        opening.close();  // nothing was opened, nothing to close, no second report
        assertThrows(NvaeException.class, () -> BackendOpening.start("vector", 0).get());
    }

    @Test
    void thePreloadReadsFlagsInBothSpellingsTheLastOneWinning() {
        String[] args = {"sample", "--threads", "3", "--backend=vector", "--n", "2", "--threads=1"};
        assertEquals("1", NativePreload.value(args, "--threads"));
        assertEquals("vector", NativePreload.value(args, "--backend"));
        assertNull(NativePreload.value(args, "--seed"));
        assertNull(NativePreload.value(new String[]{"sample", "--threads"}, "--threads"));
        assertTrue(NativePreload.value(new String[]{"--threads", "4"}, "--threads") == null, "the command name is not a flag");
    }
}
