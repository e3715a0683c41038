package org.schoolgate.proxy.content;

/**
 * What the content decoders did over the whole process, for the meter catalogue
 * ({@code ProxyMetrics} registers one meter on each): coded bytes decoded, bodies decoded twice
 * because a download peek could not hand its decoder on, and Brotli's native decoders — live
 * now, and destroyed by the cleaner because nobody closed them (a leak the pipeline should never
 * have). The counts are process-wide sums, cheap to add to on the loops and read by a scrape.
 */
public final class DecoderCounts {
  private DecoderCounts() {}

  /** Coded (gzip, deflate, Brotli) response bytes given to decoders so far. */
  public static long decodedBytes() {
    return Decompression.decoded();
  }

  /** Coded bodies decoded twice: the download peek decoded more than it may hand on. */
  public static long redecodedBodies() {
    return Decompression.redecoded();
  }

  /** Brotli native decoders not yet destroyed. */
  public static long liveBrotliDecoders() {
    return Unbrotli.live();
  }

  /** Brotli native decoders the cleaner destroyed because they were never closed. */
  public static long leakedBrotliDecoders() {
    return Unbrotli.leaked();
  }
}
