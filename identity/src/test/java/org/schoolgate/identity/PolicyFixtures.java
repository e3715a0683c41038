package org.schoolgate.identity;

/** The school policy the identity tests decide with: pupils and staff networks, directory groups mapped. */
final class PolicyFixtures {
  private PolicyFixtures() {}

  static final String SCHOOL = """
      timezone: Europe/London
      clients:
        allow: [10.0.0.0/8]
      groups:
        ks2:    { subnets: [10.10.0.0/16] }
        ks3-4:  { subnets: [10.20.0.0/16] }
        staff:  { subnets: [10.30.0.0/16] }
        guests: { subnets: [10.99.0.0/16] }
      categories:
        social-media: { domains: [social.test] }
        gambling:     { domains: [bet.test] }
      matrix:
        social-media:
          default: { nominated: { directory-groups: ["cn=Social Media Team,ou=Groups,dc=school,dc=example"] } }
        gambling: { default: unacceptable }
      identification:
        networks:
          staff-pcs:   { subnets: [10.30.0.0/16], proxy-auth: required, schemes: [negotiate, basic] }
          pupil-pcs:   { subnets: [10.20.0.0/16], proxy-auth: optional, schemes: [basic], radius: ignored }
          byod:        { subnets: [10.99.0.0/16], sign-in-page: required, device: personal, logon-sessions: ignored }
        directory-groups:
          - { directory-group: KS3, group: ks3-4 }
          - { directory-group: KS2, group: ks2 }
          - { directory-group: "cn=Staff,ou=Groups,dc=school,dc=example", group: staff }
      """;
}
