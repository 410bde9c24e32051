package dev.nvae.api;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/** What the API warns of on the dev.nvae logger, collected for a test. */
final class ApiWarnings {
    /** Held here, so the logger and the handler a test adds to it are not collected. */
    private static final Logger DEV_NVAE = Logger.getLogger("dev.nvae");

    private ApiWarnings() {
    }

    /** The warnings logged on dev.nvae from now on (the handlers of earlier tests are removed). */
    static List<String> listen() {
        List<String> warnings = new CopyOnWriteArrayList<>();
        for (Handler h : DEV_NVAE.getHandlers()) DEV_NVAE.removeHandler(h);
        DEV_NVAE.addHandler(new Handler() {
            @Override
            public void publish(LogRecord r) {
                if (r.getLevel().intValue() >= Level.WARNING.intValue()) warnings.add(r.getMessage());
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        });
        return warnings;
    }
}
