package org.schoolgate.identity.radius;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.schoolgate.identity.AddressBinding;
import org.schoolgate.identity.AuthMethod;
import org.schoolgate.identity.binding.BindingTable;
import org.schoolgate.identity.metrics.IdentityMetrics;
import org.schoolgate.identity.metrics.IdentityMetrics.Radius;
import org.tinyradius.attribute.IpAttribute;
import org.tinyradius.attribute.RadiusAttribute;
import org.tinyradius.packet.AccountingRequest;
import org.tinyradius.packet.RadiusPacket;
import org.tinyradius.util.RadiusException;

/**
 * One datagram in, at most one Accounting-Response out: finds the NAS by the sender's address,
 * lets TinyRadius decode the packet and check its Request Authenticator against the NAS's secret,
 * drops replays, applies Start / Interim-Update / Stop / Accounting-On/Off to the binding table,
 * and encodes the answer. Every datagram is counted by its outcome ({@link Radius}). Not
 * thread-safe: the RADIUS thread owns it.
 */
final class AccountingProcessor {
  private static final int HEADER = 20;
  private static final int ACCOUNTING_REQUEST = 4;
  private static final int FRAMED_IP_ADDRESS = 8;
  private static final int FRAMED_IPV6_ADDRESS = 168;
  private static final String MACHINE_PREFIX = "host/";

  private final RadiusSettings settings;
  private final BindingTable table;
  private final IdentityMetrics metrics;
  private final Clock clock;
  private final ReplayGuard replays;

  AccountingProcessor(RadiusSettings settings, BindingTable table, IdentityMetrics metrics, Clock clock) {
    this.settings = settings;
    this.table = table;
    this.metrics = metrics;
    this.clock = clock;
    this.replays = new ReplayGuard(settings.replayWindow().toMillis());
  }

  /** The response to send back to {@code from}, or null when the datagram is dropped. */
  byte[] process(byte[] data, int length, InetAddress from) {
    if (length < HEADER) {
      metrics.radius(Radius.MALFORMED);
      return null;
    }
    if ((data[0] & 0xff) != ACCOUNTING_REQUEST) {
      metrics.radius(Radius.UNSUPPORTED);
      return null;
    }
    RadiusClient nas = settings.clientFor(from);
    if (nas == null) {
      metrics.radius(Radius.UNKNOWN_CLIENT);
      return null;
    }
    int declared = (data[2] & 0xff) << 8 | (data[3] & 0xff);
    if (declared < HEADER || declared > length) {
      metrics.radius(Radius.MALFORMED); // octets past the declared length are padding (RFC 2865 3)
      return null;
    }
    AccountingRequest request;
    try {
      RadiusPacket packet = RadiusPacket.decodeRequestPacket(new ByteArrayInputStream(data, 0, declared), nas.secret());
      if (!(packet instanceof AccountingRequest a)) {
        metrics.radius(Radius.UNSUPPORTED);
        return null;
      }
      request = a;
    } catch (RadiusException e) {
      String m = String.valueOf(e.getMessage());
      metrics.radius(m.contains("authenticator") ? Radius.BAD_SECRET : Radius.MALFORMED);
      return null;
    } catch (IOException | RuntimeException e) {
      metrics.radius(Radius.MALFORMED);
      return null;
    }
    long now = clock.millis();
    if (replays.replayed(from, request.getPacketIdentifier(), request.getAuthenticator(), now)) {
      metrics.radius(Radius.REPLAYED);
    } else {
      metrics.radius(apply(request, nas));
    }
    return response(request, nas);
  }

  private Radius apply(AccountingRequest request, RadiusClient nas) {
    int status;
    try {
      status = request.getAcctStatusType();
    } catch (RadiusException | RuntimeException e) {
      return Radius.OTHER_STATUS;
    }
    String source = "radius:" + nas.name();
    switch (status) {
      case AccountingRequest.ACCT_STATUS_TYPE_ACCOUNTING_ON:
      case AccountingRequest.ACCT_STATUS_TYPE_ACCOUNTING_OFF:
        table.endAllFrom(source);
        return Radius.ACCOUNTING_ON_OFF;
      case AccountingRequest.ACCT_STATUS_TYPE_START:
      case AccountingRequest.ACCT_STATUS_TYPE_INTERIM_UPDATE:
      case AccountingRequest.ACCT_STATUS_TYPE_STOP:
        break;
      default:
        return Radius.OTHER_STATUS;
    }
    String raw = userName(request);
    if (raw == null) {
      return Radius.NO_USER;
    }
    if (raw.regionMatches(true, 0, MACHINE_PREFIX, 0, MACHINE_PREFIX.length())) {
      return Radius.MACHINE_ACCOUNT; // 802.1X machine authentication: a device, not a person
    }
    String user;
    try {
      user = settings.userNames().normalise(raw);
    } catch (IllegalArgumentException e) {
      return Radius.NO_USER;
    }
    List<InetAddress> addresses = addresses(request);
    if (addresses.isEmpty()) {
      return Radius.NO_ADDRESS;
    }
    if (status == AccountingRequest.ACCT_STATUS_TYPE_STOP) {
      for (InetAddress a : addresses) {
        table.end(a, user);
      }
      return Radius.STOP;
    }
    Instant until = clock.instant().plus(settings.bindingTime());
    for (InetAddress a : addresses) {
      table.bind(a, new AddressBinding(user, Set.of(), AuthMethod.RADIUS, until), source);
    }
    return status == AccountingRequest.ACCT_STATUS_TYPE_START ? Radius.START : Radius.INTERIM;
  }

  private static String userName(AccountingRequest request) {
    List<RadiusAttribute> names = request.getAttributes(1);
    if (names.size() != 1) {
      return null;
    }
    String name = names.get(0).getAttributeValue();
    return name == null || name.isBlank() ? null : name;
  }

  /** Framed-IP-Address and Framed-IPv6-Address, without the "NAS chooses" placeholders. */
  private static List<InetAddress> addresses(AccountingRequest request) {
    List<InetAddress> out = new ArrayList<>(2);
    RadiusAttribute v4 = request.getAttribute(FRAMED_IP_ADDRESS);
    if (v4 instanceof IpAttribute ip) {
      long n = ip.getIpAsLong();
      if (n != 0 && n != 0xFFFFFFFFL && n != 0xFFFFFFFEL) {
        try {
          out.add(InetAddress.getByAddress(new byte[] {(byte) (n >>> 24), (byte) (n >>> 16), (byte) (n >>> 8), (byte) n}));
        } catch (UnknownHostException e) {
          // four bytes are always an address
        }
      }
    }
    RadiusAttribute v6 = request.getAttribute(FRAMED_IPV6_ADDRESS);
    byte[] raw = v6 == null ? null : v6.getAttributeData();
    if (raw != null && raw.length == 16) {
      try {
        InetAddress a = InetAddress.getByAddress(raw);
        if (!a.isAnyLocalAddress()) {
          out.add(a);
        }
      } catch (UnknownHostException e) {
        // sixteen bytes are always an address
      }
    }
    return out;
  }

  private static byte[] response(AccountingRequest request, RadiusClient nas) {
    RadiusPacket answer = new RadiusPacket(RadiusPacket.ACCOUNTING_RESPONSE, request.getPacketIdentifier());
    ByteArrayOutputStream out = new ByteArrayOutputStream(HEADER);
    try {
      answer.encodeResponsePacket(out, nas.secret(), request);
    } catch (IOException e) {
      throw new IllegalStateException("encoding into memory cannot fail", e);
    }
    return out.toByteArray();
  }
}
