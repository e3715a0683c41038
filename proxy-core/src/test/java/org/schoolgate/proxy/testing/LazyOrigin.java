package org.schoolgate.proxy.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * An HTTP origin that writes a large response lazily: the first {@link #FIRST_PART} bytes, then
 * it waits until the test says the client has received them, and only then writes the rest. A
 * proxy that buffered the whole response would never deliver the first part, and the test would
 * time out instead of passing.
 */
public final class LazyOrigin implements BeforeAllCallback, AfterAllCallback {
  public static final int FIRST_PART = 64 * 1024;

  private final long totalBytes;
  private final CountDownLatch clientHasFirstPart = new CountDownLatch(1);
  private final CountDownLatch finishedWriting = new CountDownLatch(1);
  private volatile boolean wroteRestBeforeClientSawFirst;
  private ServerSocket server;

  public LazyOrigin(long totalBytes) {
    this.totalBytes = totalBytes;
  }

  @Override
  public void beforeAll(ExtensionContext context) throws IOException {
    server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    Thread t = new Thread(this::serveOne, "lazy-origin");
    t.setDaemon(true);
    t.start();
  }

  private void serveOne() {
    try (Socket s = server.accept(); InputStream in = s.getInputStream();
        OutputStream out = s.getOutputStream()) {
      readHead(in);
      out.write(("HTTP/1.1 200 OK\r\nContent-Type: application/octet-stream\r\nContent-Length: "
          + totalBytes + "\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
      byte[] chunk = new byte[FIRST_PART];
      out.write(chunk);
      out.flush();
      if (!clientHasFirstPart.await(30, TimeUnit.SECONDS)) {
        wroteRestBeforeClientSawFirst = true;
      }
      for (long left = totalBytes - FIRST_PART; left > 0; left -= chunk.length) {
        out.write(chunk, 0, (int) Math.min(chunk.length, left));
      }
      out.flush();
      finishedWriting.countDown();
      in.read(); // wait for the proxy to close or send more
    } catch (IOException | InterruptedException e) {
      finishedWriting.countDown();
    }
  }

  private static void readHead(InputStream in) throws IOException {
    int state = 0;
    while (state < 4) {
      int c = in.read();
      if (c < 0) {
        throw new IOException("request ended early");
      }
      state = (c == '\r' && (state == 0 || state == 2)) || (c == '\n' && (state == 1 || state == 3))
          ? state + 1 : 0;
    }
  }

  /** The test calls this once the client holds the first part. */
  public void clientReceivedFirstPart() {
    clientHasFirstPart.countDown();
  }

  /** True if the origin had to give up waiting (the client never got the first part). */
  public boolean gaveUpWaiting() {
    return wroteRestBeforeClientSawFirst;
  }

  public boolean hasFinishedWriting() {
    return finishedWriting.getCount() == 0;
  }

  public int port() {
    return server.getLocalPort();
  }

  @Override
  public void afterAll(ExtensionContext context) throws IOException {
    server.close();
  }
}
