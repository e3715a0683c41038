package org.schoolgate.identity;

import java.util.List;
import java.util.Objects;
import org.schoolgate.policy.GroupId;
import org.schoolgate.policy.Identification;
import org.schoolgate.policy.Person;
import org.schoolgate.policy.model.NetworkConfig;

/**
 * Who is behind a request, after every source was consulted in order ({@link WhoIsAsking}): the
 * proxy either decides for a {@link Known} group, or answers without deciding.
 *
 * <pre>{@code
 * switch (who) {
 *   case Who.Known k -> decide(new RequestFacts(k.group(), k.user(), host, path, now, client, k.person()));
 *   case Who.Challenge c -> answer407(c.schemes(), c.reason());   // Proxy-Authenticate per scheme
 *   case Who.SignInPage p -> redirectOrRefuse(p);                // the sign-in page first (no 407)
 *   case Who.Unavailable u -> answer503(u.reason());             // the directory cannot say: fail closed
 *   case Who.Refused r -> answer403(r.reason());                 // not a network this proxy serves
 * }
 * }</pre>
 */
public sealed interface Who permits Who.Known, Who.Challenge, Who.SignInPage, Who.Unavailable, Who.Refused {

  /**
   * The request is decided for {@code identification}'s group.
   *
   * @param identification the policy's answer: group, user (or null), how the group was chosen,
   *     and the person (or null) for {@link org.schoolgate.policy.RequestFacts#person()}
   * @param method how the person was identified, for the access log's {@code auth}
   *     ({@link AuthMethod#SUBNET} when nobody is known)
   */
  record Known(Identification.Identified identification, AuthMethod method) implements Who {
    public Known {
      Objects.requireNonNull(identification, "identification");
      Objects.requireNonNull(method, "method");
    }

    public GroupId group() {
      return identification.group();
    }

    /** The user name, or null when nobody is known. */
    public String user() {
      return identification.user();
    }

    /** The person, or null when nobody is known. */
    public Person person() {
      return identification.person();
    }
  }

  /**
   * Ask for credentials: 407 with one {@code Proxy-Authenticate} per scheme, in order.
   *
   * @param schemes the network's schemes
   * @param reason a sentence for the page (no credentials, wrong ones, too many attempts)
   */
  record Challenge(List<NetworkConfig.Scheme> schemes, String reason) implements Who {
    public Challenge {
      schemes = List.copyOf(schemes);
    }
  }

  /**
   * The client's network requires the sign-in page ({@code sign-in-page: required}) and nobody
   * has signed in at this address: a plain HTTP request is sent to the sign-in page, anything
   * else is refused (no 407: browsers on personal devices show no proxy sign-in dialog). Only
   * Schoolgate's own pages and the identity provider's sign-in hosts are reached meanwhile,
   * decided for {@code subnet}'s group.
   *
   * @param beforeSigningIn the subnet's answer ({@link AuthMethod#SUBNET}), for the requests
   *     that may pass before signing in
   * @param reason a sentence for the page
   */
  record SignInPage(Known beforeSigningIn, String reason) implements Who {
    public SignInPage {
      Objects.requireNonNull(beforeSigningIn, "beforeSigningIn");
      Objects.requireNonNull(reason, "reason");
    }
  }

  /** Credentials are required here and nobody can check them now: 503, fail closed. */
  record Unavailable(String reason) implements Who {}

  /** The client is outside every network the proxy serves: 403, no open proxy. */
  record Refused(String reason) implements Who {}
}
