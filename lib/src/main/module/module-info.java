/**
 * nvae: train N-VAE models and generate from them on CPUs (or an NVIDIA GPU, through the cuda backend). The public API is {@link dev.nvae.api}; every
 * other package is internal to the library and to the nvae command-line tool and benchmarks built on it.
 *
 * <p>On the module path this descriptor holds: only {@code dev.nvae.api} can be used. It reads the incubating
 * Vector API ({@code jdk.incubator.vector}, resolved by this {@code requires}; the JVM prints a one-line
 * warning that an incubator module is in use) and calls native code through FFM, which the JVM allows with
 * {@code --enable-native-access=dev.nvae.ffm,dev.nvae} (a warning without it). The two packages opened to
 * Jackson hold the records that model and checkpoint files store as JSON.
 */
module dev.nvae {
    requires dev.nvae.ffm;
    requires jdk.incubator.vector;
    requires java.desktop;
    requires com.fasterxml.jackson.databind;

    exports dev.nvae.api;

    opens dev.nvae.model to com.fasterxml.jackson.databind;
    opens dev.nvae.train to com.fasterxml.jackson.databind;
}
