package org.schoolgate.resolver.judge;

/** An answer the resolver makes itself instead of asking upstream. */
public enum Answer {
  /** The block-page address (A or AAAA) of {@code block-answer: address ...}. */
  BLOCK_ADDRESS("block-address"),
  /** The name does not exist. */
  NXDOMAIN("nxdomain"),
  /** The name exists but has no records of the type asked for (an empty NOERROR answer). */
  NODATA("nodata"),
  /** The resolver will not answer this client or this question. */
  REFUSED("refused"),
  /** The resolver could not answer (no policy, or the upstream resolvers failed). */
  SERVFAIL("servfail");

  private final String logName;

  Answer(String logName) {
    this.logName = logName;
  }

  /** The access log's {@code answer} value. */
  public String logName() {
    return logName;
  }
}
