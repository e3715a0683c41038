/**
 * Content analysis on the proxy's response path: a body's bytes as they stream, undone from
 * gzip, deflate or Brotli ({@link org.schoolgate.proxy.content.Decompression}, Netty's decoders),
 * read in their charset ({@link org.schoolgate.proxy.content.TextDecoder}: header, BOM,
 * {@code <meta>}), into the policy's {@code ContentScan}
 * ({@link org.schoolgate.proxy.content.BodyAnalysis}); {@link org.schoolgate.proxy.content.HeldBytes}
 * counts what the proxy holds while it decides. Memory per response is fixed whatever its size.
 */
package org.schoolgate.proxy.content;
