package org.schoolgate.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.channel.EventLoopGroup;
import java.io.FileInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.schoolgate.proxy.testing.BlockingCalls;
import org.schoolgate.proxy.transport.Transport;
import org.schoolgate.proxy.transport.TransportChoice;
import reactor.blockhound.BlockingOperationError;

/**
 * The whole proxy test suite runs under BlockHound ({@code BlockingCalls}); this class runs
 * last. It proves the check is live (a file read on an event loop of the proxy's kind is caught)
 * and that no test made an event loop block.
 */
@Order(Integer.MAX_VALUE)
class EventLoopsNeverBlockTest {
  @TempDir Path dir;

  @Test
  void aBlockingCallOnAnEventLoopIsCaught() throws Exception {
    Path file = Files.writeString(dir.resolve("blocking.txt"), "read me");
    EventLoopGroup loops = Transport.choose(TransportChoice.AUTO).loops(1,
        "schoolgate-worker-check");
    try {
      Throwable failure = null;
      try {
        loops.submit(() -> {
          try (FileInputStream in = new FileInputStream(file.toFile())) {
            return in.readAllBytes();
          }
        }).get(10, TimeUnit.SECONDS);
      } catch (ExecutionException e) {
        failure = e.getCause();
      }
      assertThat(failure).isInstanceOf(BlockingOperationError.class);
    } finally {
      loops.shutdownGracefully(0, 0, TimeUnit.SECONDS).sync();
    }
  }

  @Test
  void noTestMadeAnEventLoopBlock() {
    assertThat(BlockingCalls.seen()).filteredOn(s -> !s.startsWith("schoolgate-worker-check"))
        .isEmpty();
  }
}
