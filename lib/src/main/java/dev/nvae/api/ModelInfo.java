package dev.nvae.api;

import java.nio.file.Path;
import java.util.List;

/**
 * What an open model is and how it runs.
 *
 * @param file         the model file it was read from
 * @param family       {@code nvae}, or a baseline: {@code vae}, {@code beta-vae}, {@code cvae}
 * @param architecture the network, e.g. {@code mlp}
 * @param channels     image channels: 1 grey, 3 RGB
 * @param height       image height in pixels (1 for non-image data)
 * @param width        image width in pixels
 * @param classNames   the class names, in class-index order
 * @param conditional  whether samples are drawn for a class (nvae, cvae); a vae's are not, and take class 0
 * @param classifier   whether the model predicts the class of an image, q(y|x) (nvae)
 * @param labelFree    whether the model was trained without labels ({@code train --labels none}): its classes are
 *                     clusters it found ("cluster 0", ...), not the data's classes, and it takes no labels
 * @param sharedDims   latent dimensions shared by every class (a baseline's only latent block)
 * @param classDims    latent dimensions of each class's own block (0 for a baseline)
 * @param backend      the backend every lane runs: {@code vector} or {@code onednn} ({@code auto} resolved)
 * @param threads      threads of each lane's backend
 * @param lanes        calls that can compute at once
 * @param precision    the arithmetic of the matrix products
 * @param weightsDtype how the model file stores the weights: {@code fp32}, or {@code bf16} for a file written by
 *                     {@code nvae train --save-dtype bf16} or {@code nvae export --dtype bf16}, whose weights are
 *                     rounded to bfloat16 (read widened exactly, and computed on at {@code precision})
 */
public record ModelInfo(Path file, String family, String architecture, int channels, int height, int width, List<String> classNames,
                        boolean conditional, boolean classifier, boolean labelFree, int sharedDims, int classDims,
                        String backend, int threads, int lanes, Precision precision, String weightsDtype) {
    /** Copies {@code classNames}. */
    public ModelInfo {
        classNames = List.copyOf(classNames);
    }

    /**
     * Values per image, channels × height × width: the row length of every pixel array this API reads or writes
     * (an image's channels one after another).
     *
     * @return channels × height × width
     */
    public int imageSize() {
        return channels * height * width;
    }
}
