package org.schoolgate.proxy.pages;

import io.netty.handler.codec.http.HttpResponseStatus;

/** The fixed pages the proxy answers with when it cannot or will not fetch a site. */
public enum ErrorPage {
  BAD_REQUEST(HttpResponseStatus.BAD_REQUEST, "Bad request",
      "Your browser sent a request the school's web filter could not understand.",
      "If you typed the address, check it. This address is a web proxy: set it as your"
          + " browser's proxy rather than opening it as a web site."),
  NOT_A_CLIENT(HttpResponseStatus.FORBIDDEN, "Not a client of this proxy",
      "This web filter only serves the school's own networks, and your device is not on one"
          + " of them.",
      "If you are at school, ask the IT team to check your network settings."),
  REQUEST_TIMEOUT(HttpResponseStatus.REQUEST_TIMEOUT, "The request took too long to arrive",
      "Your browser started a request but did not finish sending it in time.",
      "Try again. If it keeps happening, the network may be very slow or overloaded."),
  URI_TOO_LONG(HttpResponseStatus.REQUEST_URI_TOO_LONG, "The web address is too long",
      "The address you asked for is longer than the school's web filter accepts.",
      "Try a shorter link, or go to the site's home page and find the page from there."),
  HEADERS_TOO_LARGE(HttpResponseStatus.REQUEST_HEADER_FIELDS_TOO_LARGE, "Request too large",
      "Your browser sent more header data (often cookies) than the school's web filter accepts.",
      "Clearing this site's cookies usually fixes it."),
  INTERNAL_DESTINATION(HttpResponseStatus.FORBIDDEN,
      "This address can't be opened through the web filter",
      "The site's address is inside the school's network, on the web filter's own machine, or a"
          + " cloud provider's internal service (rule: internal-destination). The school's web"
          + " filter does not open these addresses to the browsers that use it.",
      "If you need a school system such as the learning platform or a printer's page, ask the IT"
          + " team to add it to the filter's intranet list. If you typed the address, check it."),
  /**
   * A device on a network of personally owned devices ({@code device: personal}) asked for an
   * address inside the school: BYOD reaches the internet only, by design, so there is nothing to
   * request (an unblock lifts a category, not this) and no request-access link.
   */
  PERSONAL_DEVICE(HttpResponseStatus.FORBIDDEN,
      "Personal devices reach the internet only",
      "This device is on the personal (bring-your-own-device) network, which reaches the internet"
          + " only. School systems such as the learning platform's internal address, printers and"
          + " shared drives cannot be opened from it (rule: internal-destination, personal device).",
      "Use a school computer for school systems, or the system's public web address if it has"
          + " one. If you think this device should be on the school's own network, ask the IT team."),
  DNS_FAILED(HttpResponseStatus.BAD_GATEWAY, "Could not find the site's address",
      "The school's web filter could not find the address of this site. It may be mistyped,"
          + " or the site may no longer exist.",
      "Check the spelling of the address. If it is right, try again in a minute."),
  UPSTREAM_UNREACHABLE(HttpResponseStatus.BAD_GATEWAY, "Could not reach the site",
      "The school's web filter could not connect to this site: it refused the connection or"
          + " is not answering.",
      "The site may be down. Try again in a few minutes."),
  UPSTREAM_TIMEOUT(HttpResponseStatus.GATEWAY_TIMEOUT, "The site took too long to answer",
      "The school's web filter waited for this site, but it did not answer in time.",
      "The site may be busy or down. Try again in a few minutes."),
  CERTIFICATE_EXPIRED(HttpResponseStatus.BAD_GATEWAY, "The site's certificate has expired",
      "The school's web filter checked this site's security certificate on your behalf: it has"
          + " expired (or is not valid yet), so the connection could be an impostor's.",
      "The site's owners need to renew their certificate. Try again later, or tell the IT team."),
  CERTIFICATE_WRONG_NAME(HttpResponseStatus.BAD_GATEWAY, "The site's certificate is for another name",
      "The school's web filter checked this site's security certificate on your behalf: it was"
          + " issued for a different site name, so the connection could be an impostor's.",
      "Check the address. If it is right, tell the IT team."),
  CERTIFICATE_UNTRUSTED(HttpResponseStatus.BAD_GATEWAY, "The site's certificate is not trusted",
      "The school's web filter checked this site's security certificate on your behalf: it was"
          + " not issued by an authority the filter trusts, so the connection could be an"
          + " impostor's.",
      "If this is a school system with its own certificate authority, ask the IT team to add it"
          + " to the filter's trusted authorities."),
  NOT_BLOCKED_NOW(HttpResponseStatus.SERVICE_UNAVAILABLE, "This site is not blocked for you now",
      "Your device was sent to the school's web filter because this site was blocked when your"
          + " device looked up its address. The filter would let you open it now (an unblock, or"
          + " another sign-in), but your device still remembers the old address.",
      "Wait a few minutes, or close and reopen the browser, then try again."),
  UPSTREAM_TLS_FAILED(HttpResponseStatus.BAD_GATEWAY, "Could not connect securely to the site",
      "The school's web filter could not set up a secure connection to this site.",
      "The site may be misconfigured. Try again later, or tell the IT team.");

  private final HttpResponseStatus status;
  private final String heading;
  private final String message;
  private final String hint;

  ErrorPage(HttpResponseStatus status, String heading, String message, String hint) {
    this.status = status;
    this.heading = heading;
    this.message = message;
    this.hint = hint;
  }

  public HttpResponseStatus status() {
    return status;
  }

  public String heading() {
    return heading;
  }

  String message() {
    return message;
  }

  String hint() {
    return hint;
  }

  /** The page for a destination refusal of {@code kind} (a {@code Destination.Refused} kind tag). */
  public static ErrorPage forRefusal(String kind) {
    return "personal-device".equals(kind) ? PERSONAL_DEVICE : INTERNAL_DESTINATION;
  }
}
