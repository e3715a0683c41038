package org.schoolgate.identity.radius;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.schoolgate.identity.AddressBinding;
import org.schoolgate.identity.AuthMethod;
import org.schoolgate.identity.binding.BindingTable;
import org.schoolgate.identity.binding.UserNameRule;
import org.schoolgate.identity.metrics.IdentityMetrics;
import org.schoolgate.identity.metrics.IdentityMetrics.Radius;
import org.schoolgate.policy.model.Subnet;
import org.schoolgate.policy.testing.Eventually;
import org.tinyradius.packet.AccountingRequest;
import org.tinyradius.packet.RadiusPacket;
import org.tinyradius.util.RadiusClient;

/** A test NAS (TinyRadius's client, real UDP on loopback) against the accounting listener. */
class AccountingServerTest {
  private static final String SECRET = "wlc-shared-secret-1";
  private static final Duration CEILING = Duration.ofSeconds(10);
  private final Clock clock = Clock.systemUTC();
  private final IdentityMetrics metrics = IdentityMetrics.unregistered();
  private final BindingTable table = BindingTable.inMemory(clock, metrics);
  private AccountingServer server;
  private RadiusClient nas;

  @BeforeEach
  void start() throws Exception {
    RadiusSettings settings = new RadiusSettings(new InetSocketAddress("127.0.0.1", 0),
        List.of(new org.schoolgate.identity.radius.RadiusClient("wlc", Subnet.parse("127.0.0.1/32"), SECRET)),
        new UserNameRule(Set.of("school.example"), true), Duration.ofHours(8), Duration.ofSeconds(30));
    server = AccountingServer.start(settings, table, metrics, clock);
    nas = client(SECRET);
  }

  @AfterEach
  void stop() {
    nas.close();
    server.close();
  }

  @Test
  void startBindsTheFramedAddressToTheUserAndStopEndsIt() throws Exception {
    RadiusPacket answer = nas.account(request("alice@school.example", AccountingRequest.ACCT_STATUS_TYPE_START,
        "10.0.0.5"));
    assertThat(answer.getPacketType()).isEqualTo(RadiusPacket.ACCOUNTING_RESPONSE);

    Eventually.within(CEILING, () -> {
      AddressBinding found = table.find(ip("10.0.0.5"), clock.instant());
      assertThat(found).isNotNull();
      assertThat(found.user()).isEqualTo("alice");
      assertThat(found.method()).isEqualTo(AuthMethod.RADIUS);
    });

    nas.account(request("alice@school.example", AccountingRequest.ACCT_STATUS_TYPE_STOP, "10.0.0.5"));
    Eventually.within(CEILING, () -> assertThat(table.find(ip("10.0.0.5"), clock.instant())).isNull());
    assertThat(metrics.radiusCount(Radius.START)).isEqualTo(1);
    assertThat(metrics.radiusCount(Radius.STOP)).isEqualTo(1);
  }

  @Test
  void interimUpdatesAndIpv6AddressesBindToo() throws Exception {
    AccountingRequest interim = request("bob", AccountingRequest.ACCT_STATUS_TYPE_INTERIM_UPDATE, "10.0.0.6");
    interim.addAttribute("Framed-IPv6-Address", "2001:db8::6");
    nas.account(interim);

    assertThat(table.find(ip("10.0.0.6"), clock.instant()).user()).isEqualTo("bob");
    assertThat(table.find(ip("2001:db8::6"), clock.instant()).user()).isEqualTo("bob");
    assertThat(metrics.radiusCount(Radius.INTERIM)).isEqualTo(1);
  }

  @Test
  void aWrongSecretIsIgnoredAndCounted() throws Exception {
    RadiusClient impostor = client("not-the-right-secret");
    impostor.setRetryCount(1);
    impostor.setSocketTimeout(300);
    try {
      assertThatThrownBy(() -> impostor.account(request("mallory", AccountingRequest.ACCT_STATUS_TYPE_START,
          "10.0.0.7"))).as("no answer comes back").isNotNull();
    } finally {
      impostor.close();
    }

    Eventually.within(CEILING, () -> assertThat(metrics.radiusCount(Radius.BAD_SECRET)).isGreaterThanOrEqualTo(1));
    assertThat(table.find(ip("10.0.0.7"), clock.instant())).isNull();
  }

  @Test
  void aReplayedPacketIsAnsweredAndCountedButNotAppliedAgain() throws Exception {
    AccountingRequest start = request("carol", AccountingRequest.ACCT_STATUS_TYPE_START, "10.0.0.8");
    nas.account(start);
    nas.account(request("carol", AccountingRequest.ACCT_STATUS_TYPE_STOP, "10.0.0.8"));
    assertThat(table.find(ip("10.0.0.8"), clock.instant())).isNull();

    RadiusPacket answer = nas.account(start); // the same identifier, attributes and so authenticator
    assertThat(answer.getPacketType()).isEqualTo(RadiusPacket.ACCOUNTING_RESPONSE);
    assertThat(metrics.radiusCount(Radius.REPLAYED)).isEqualTo(1);
    assertThat(table.find(ip("10.0.0.8"), clock.instant())).as("the replayed Start binds nothing").isNull();
  }

  @Test
  void unknownNasesAndMalformedDatagramsAreDroppedAndCounted() throws Exception {
    AccountingRequest start = request("dave", AccountingRequest.ACCT_STATUS_TYPE_START, "10.0.0.9");
    ByteArrayOutputStream encoded = new ByteArrayOutputStream();
    start.encodeRequestPacket(encoded, SECRET);
    try (DatagramSocket stranger = new DatagramSocket(new InetSocketAddress("127.0.0.2", 0))) {
      byte[] bytes = encoded.toByteArray();
      stranger.send(new DatagramPacket(bytes, bytes.length, server.address()));
    }
    try (DatagramSocket raw = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0))) {
      raw.send(new DatagramPacket(new byte[] {4, 1, 0}, 3, server.address()));
      byte[] access = encoded.toByteArray().clone();
      access[0] = 1; // Access-Request on the accounting port
      raw.send(new DatagramPacket(access, access.length, server.address()));
    }

    Eventually.within(CEILING, () -> {
      assertThat(metrics.radiusCount(Radius.UNKNOWN_CLIENT)).isEqualTo(1);
      assertThat(metrics.radiusCount(Radius.MALFORMED)).isEqualTo(1);
      assertThat(metrics.radiusCount(Radius.UNSUPPORTED)).isEqualTo(1);
    });
    assertThat(table.find(ip("10.0.0.9"), clock.instant())).isNull();
  }

  @Test
  void accountingOnFromTheNasEndsItsBindingsAndMachineAccountsBindNobody() throws Exception {
    nas.account(request("erin", AccountingRequest.ACCT_STATUS_TYPE_START, "10.0.0.10"));
    nas.account(request("host/pc01.school.example", AccountingRequest.ACCT_STATUS_TYPE_START, "10.0.0.11"));
    assertThat(table.find(ip("10.0.0.10"), clock.instant()).user()).isEqualTo("erin");
    assertThat(table.find(ip("10.0.0.11"), clock.instant())).isNull();
    assertThat(metrics.radiusCount(Radius.MACHINE_ACCOUNT)).isEqualTo(1);

    AccountingRequest on = new AccountingRequest("wlc", AccountingRequest.ACCT_STATUS_TYPE_ACCOUNTING_ON);
    nas.account(on);
    assertThat(table.find(ip("10.0.0.10"), clock.instant())).isNull();
  }

  private static AccountingRequest request(String user, int status, String framedIp) {
    AccountingRequest r = new AccountingRequest(user, status);
    r.addAttribute("Framed-IP-Address", framedIp);
    r.addAttribute("Acct-Session-Id", "session-" + framedIp);
    return r;
  }

  private RadiusClient client(String secret) throws Exception {
    RadiusClient c = new RadiusClient("127.0.0.1", secret);
    c.setAcctPort(server.address().getPort());
    c.setSocketTimeout(5_000);
    return c;
  }

  private static InetAddress ip(String literal) throws Exception {
    return InetAddress.getByName(literal);
  }
}
