package org.schoolgate.bench;

import java.io.ByteArrayOutputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.schoolgate.identity.binding.BindingTable;
import org.schoolgate.identity.binding.UserNameRule;
import org.schoolgate.identity.metrics.IdentityMetrics;
import org.schoolgate.identity.radius.AccountingServer;
import org.schoolgate.identity.radius.RadiusClient;
import org.schoolgate.identity.radius.RadiusSettings;
import org.schoolgate.policy.model.Subnet;
import org.tinyradius.packet.AccountingRequest;

/**
 * RADIUS accounting load: a load generator on loopback sends Accounting-Start and Interim-Update
 * packets for 10,000 distinct users and addresses (pre-encoded with TinyRadius, each with its own
 * identifier/authenticator so none is a replay) to the real {@link AccountingServer}, keeping at
 * most {@code window} unanswered, and counts Accounting-Responses per second. Bounded: {@code
 * packets} in total or 60 s, whichever comes first. Run:
 *
 * <pre>
 * java -cp benchmarks/target/benchmarks.jar org.schoolgate.bench.RadiusLoad [packets] [window]
 * </pre>
 */
public final class RadiusLoad {
  private static final String SECRET = "load-test-shared-secret";
  private static final int USERS = 10_000;

  private RadiusLoad() {}

  public static void main(String[] args) throws Exception {
    int packets = args.length > 0 ? Integer.parseInt(args[0]) : 200_000;
    int window = args.length > 1 ? Integer.parseInt(args[1]) : 128;
    Clock clock = Clock.systemUTC();
    IdentityMetrics metrics = IdentityMetrics.unregistered();
    BindingTable table = BindingTable.inMemory(clock, metrics);
    RadiusSettings settings = new RadiusSettings(new InetSocketAddress("127.0.0.1", 0),
        List.of(new RadiusClient("load", Subnet.parse("127.0.0.1/32"), SECRET)),
        new UserNameRule(Set.of("school.example"), true), Duration.ofHours(8), Duration.ofSeconds(30));
    byte[][] encoded = encode(packets);
    try (AccountingServer server = AccountingServer.start(settings, table, metrics, clock);
        DatagramSocket socket = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0))) {
      socket.setSoTimeout(1000);
      socket.setReceiveBufferSize(4 << 20);
      InetSocketAddress target = server.address();
      Semaphore inFlight = new Semaphore(window);
      AtomicLong answered = new AtomicLong();
      Thread receiver = new Thread(() -> {
        byte[] buf = new byte[64];
        DatagramPacket in = new DatagramPacket(buf, buf.length);
        while (answered.get() < packets) {
          try {
            socket.receive(in);
            answered.incrementAndGet();
            inFlight.release();
          } catch (SocketTimeoutException e) {
            inFlight.release(window); // datagrams lost on loopback: let the sender go on
          } catch (Exception e) {
            return;
          }
        }
      }, "radius-load-receiver");
      receiver.start();
      long start = System.nanoTime();
      long deadline = start + TimeUnit.SECONDS.toNanos(60);
      int sent = 0;
      for (; sent < packets && System.nanoTime() < deadline; sent++) {
        inFlight.acquire();
        socket.send(new DatagramPacket(encoded[sent], encoded[sent].length, target));
      }
      receiver.join(5_000);
      double seconds = (System.nanoTime() - start) / 1e9;
      System.out.printf("sent %,d, answered %,d in %.2f s: %,.0f accounting packets/s (window %d)%n", sent,
          answered.get(), seconds, answered.get() / seconds, window);
      System.out.printf("bound addresses: %,d; outcomes: start %,.0f, interim %,.0f, replayed %,.0f, bad-secret %,.0f%n",
          table.size(), metrics.radiusCount(IdentityMetrics.Radius.START),
          metrics.radiusCount(IdentityMetrics.Radius.INTERIM), metrics.radiusCount(IdentityMetrics.Radius.REPLAYED),
          metrics.radiusCount(IdentityMetrics.Radius.BAD_SECRET));
    }
  }

  /** Start for each user first, then interim updates; identifiers cycle, attributes differ, so no two are equal. */
  private static byte[][] encode(int packets) throws Exception {
    byte[][] out = new byte[packets][];
    for (int i = 0; i < packets; i++) {
      int user = i % USERS;
      AccountingRequest r = new AccountingRequest("pupil" + user + "@school.example",
          i < USERS ? AccountingRequest.ACCT_STATUS_TYPE_START : AccountingRequest.ACCT_STATUS_TYPE_INTERIM_UPDATE);
      r.setPacketIdentifier(i & 0xff);
      r.addAttribute("Framed-IP-Address", "10." + (16 + user / 65536) + "." + (user / 256 % 256) + "." + (user % 256));
      r.addAttribute("Acct-Session-Id", "s" + user + "-" + i);
      ByteArrayOutputStream bytes = new ByteArrayOutputStream(128);
      r.encodeRequestPacket(bytes, SECRET);
      out[i] = bytes.toByteArray();
    }
    return out;
  }

}
