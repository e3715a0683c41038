package org.schoolgate.proxy.upstream;

/**
 * The client side using an upstream connection: told, on the shared event loop, what the
 * connection reads and how it fares. Implemented by the front handler.
 */
public interface UpstreamListener {
  /** A response object (head, content, last content) from {@code upstream}. */
  void upstreamRead(Upstream upstream, Object msg);

  /** The end of one read batch from {@code upstream}: flush what was written to the client. */
  void upstreamReadComplete(Upstream upstream);

  /** {@code upstream} can take writes again (or cannot any more). */
  void upstreamWritabilityChanged(Upstream upstream);

  /** {@code upstream} closed while in use. */
  void upstreamClosed(Upstream upstream);

  /** {@code upstream} read nothing for the idle timeout while in use. */
  void upstreamTimedOut(Upstream upstream);
}
