package org.schoolgate.identity.portal;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** A ticket vouches for its address under its key until it runs out; anything else vouches for nothing. */
class SignInTicketTest {
  private static final Instant NOW = Instant.parse("2026-12-07T09:00:00Z");

  @Test
  void aTicketNamesItsAddressUntilItRunsOut() throws Exception {
    InetAddress phone = InetAddress.getByName("10.99.4.17");
    String ticket = SignInTicket.issue("key-1", phone, NOW);
    assertThat(SignInTicket.check("key-1", ticket, NOW.plusSeconds(60))).contains(phone);
    assertThat(SignInTicket.check("key-1", ticket, NOW.plus(SignInTicket.LIFETIME))).isEmpty();
    InetAddress v6 = InetAddress.getByName("2001:db8::17");
    assertThat(SignInTicket.check("key-1", SignInTicket.issue("key-1", v6, NOW), NOW)).contains(v6);
  }

  @Test
  void forgedGarbledOrForeignTicketsVouchForNothing() throws Exception {
    String ticket = SignInTicket.issue("key-1", InetAddress.getByName("10.99.4.17"), NOW);
    assertThat(SignInTicket.check("key-2", ticket, NOW)).as("another process's key").isEmpty();
    String other = SignInTicket.issue("key-1", InetAddress.getByName("10.99.4.18"), NOW);
    String spliced = other.substring(0, other.indexOf('.')) + ticket.substring(ticket.indexOf('.'));
    assertThat(SignInTicket.check("key-1", spliced, NOW)).as("another address under this MAC").isEmpty();
    for (String garbled : new String[] {"", ".", "..", "a.b.c", "x".repeat(200), ticket + "x", "AAAA.99999999999.AAAA"}) {
      assertThat(SignInTicket.check("key-1", garbled, NOW)).as(garbled).isEmpty();
    }
    assertThat(SignInTicket.check("key-1", null, NOW)).isEmpty();
  }
}
