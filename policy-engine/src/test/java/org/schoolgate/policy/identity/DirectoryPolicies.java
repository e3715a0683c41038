package org.schoolgate.policy.identity;

/** A policy with an {@code identification:} section, shared by the identification tests. */
final class DirectoryPolicies {
  private DirectoryPolicies() {}

  static final String POLICY = """
      timezone: Europe/London
      clients:
        allow: [10.0.0.0/8]
      schedules:
        lunch: { days: [MON, TUE, WED, THU, FRI], from: "12:00", to: "13:15" }
      groups:
        ks2:    { subnets: [10.10.0.0/16] }
        ks3-4:  { subnets: [10.20.0.0/16] }
        staff:  { subnets: [10.30.0.0/16], users: [head.teacher] }
        guests: { subnets: [10.99.0.0/16] }
      categories:
        gambling:     { domains: [bet.test] }
        social-media: { domains: [social.test] }
        games:        { domains: [games.test] }
        video:        { domains: [video.test] }
      matrix:
        gambling: { default: unacceptable }
        social-media:
          default: { nominated: { users: [j.smith], directory-groups: ["CN=Social Media Team,OU=Staff,DC=school,DC=example"] } }
        games: { default: unacceptable, ks3-4: { at-times: [lunch] }, staff: acceptable }
        video: { default: { at-times: [lunch] }, staff: acceptable }
      tunnels:
        ip-literal: { default: block, staff: allow }
      safesearch:
        search: { default: enforce, staff: off }
      identification:
        networks:
          staff-pcs:
            subnets: [10.30.0.0/16]
            proxy-auth: required
            schemes: [negotiate, basic]
            radius: ignored
          pupil-wifi:
            subnets: [10.20.128.0/17]
            proxy-auth: optional
            schemes: [basic]
            logon-sessions: ignored
            sign-in-page: optional
            device: personal
            unmapped-group: guests
          default:
            proxy-auth: off
        directory-groups:
          - { directory-group: "CN=Year9,OU=Pupils,DC=school,DC=example", group: ks3-4 }
          - { directory-group: "CN=KS2,OU=Pupils,DC=school,DC=example", group: ks2 }
          - { directory-group: Staff, group: staff }
      """;
}
