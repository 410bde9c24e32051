package dev.nvae.cli;

import org.junit.jupiter.api.Test;

import java.io.PrintWriter;
import java.io.StringWriter;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Without a terminal, progress is lines on stderr; none for a pass or a comparison that has ended. */
class PassProgressTest {
    @Test
    void linesNameTheTaskTheExamplesAndTheBlocksCompared() {
        StringWriter text = new StringWriter();
        try (PassProgress p = new PassProgress("evaluate --iw 5", 300, new PrintWriter(text), false, 0)) {
            p.examplesDone(100);
            p.examplesDone(300);
            p.blocksCompared(0, 12);
            p.blocksCompared(5, 12);
            p.blocksCompared(12, 12);
        }
        assertEquals("""
                evaluate --iw 5: 100 of 300 examples (33%)
                evaluate --iw 5: comparing each latent block's posterior draws with N(0, I): 0 of 12 blocks
                evaluate --iw 5: comparing each latent block's posterior draws with N(0, I): 5 of 12 blocks
                """, text.toString().replace(System.lineSeparator(), "\n"));
    }

    @Test
    void linesComeAtMostOnceAnInterval() {
        StringWriter text = new StringWriter();
        try (PassProgress p = new PassProgress("evaluate", 300, new PrintWriter(text), false, 3_600_000_000_000L)) {
            for (int done = 10; done < 300; done += 10) p.examplesDone(done);
            p.blocksCompared(0, 12);
        }
        assertEquals("", text.toString());
    }
}
