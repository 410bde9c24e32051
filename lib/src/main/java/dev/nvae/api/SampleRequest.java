package dev.nvae.api;

import dev.nvae.analysis.PriorSampler;

/**
 * What to draw from the prior: {@code count} images of class {@code classIndex}, the latents z ~ N(0, σ²I)
 * of sample i drawn from a stream fixed by {@code seed} — the same request gives the same images, bit for
 * bit, on any lane and under any concurrency.
 *
 * @param classIndex the class to draw (see {@link NvaeModel#classIndex(String)} for names); 0 for a model
 *                   without classes (a vae)
 * @param count      how many images, at least 1
 * @param sigma      the prior's scale: 1 samples the prior, larger values (the paper uses 1.4) sample wider
 * @param seed       fixes the latents
 */
public record SampleRequest(int classIndex, int count, double sigma, long seed) {
    /**
     * Checks what can be checked without the model; the class's range is checked by the model.
     *
     * @throws InvalidRequestException naming {@code class}, {@code n} or {@code sigma}
     */
    public SampleRequest {
        if (classIndex < 0) throw new InvalidRequestException("class", classIndex + " is not a class index (they start at 0)");
        if (count < 1) throw new InvalidRequestException("n", count + " must be at least 1");
        if (!PriorSampler.validSigma(sigma)) throw new InvalidRequestException("sigma", sigma + " " + PriorSampler.SIGMA_RANGE);
    }

    /**
     * {@code count} images of class {@code classIndex} from the prior itself (σ = 1), seed 0.
     *
     * @param classIndex the class to draw
     * @param count      how many images
     * @return the request
     */
    public static SampleRequest of(int classIndex, int count) {
        return new SampleRequest(classIndex, count, 1.0, 0);
    }

    /**
     * This request at another prior scale.
     *
     * @param sigma the prior's scale
     * @return this request at scale {@code sigma}
     */
    public SampleRequest withSigma(double sigma) {
        return new SampleRequest(classIndex, count, sigma, seed);
    }

    /**
     * This request with another seed.
     *
     * @param seed fixes the latents
     * @return this request with {@code seed}
     */
    public SampleRequest withSeed(long seed) {
        return new SampleRequest(classIndex, count, sigma, seed);
    }
}
