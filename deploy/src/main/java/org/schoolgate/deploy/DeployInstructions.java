package org.schoolgate.deploy;

import java.nio.file.Path;

/**
 * What {@code schoolgate ca init} prints after creating the CA: how to make each kind of school
 * device trust the certificate. docs/interception-ca.md says the same at more length.
 */
final class DeployInstructions {
  private DeployInstructions() {}

  static String text(Path certificate) {
    return """
        Next: make the school's devices trust the certificate (%1$s).
        Give devices the certificate only, never the .key file. Until a device trusts it, intercepted
        sites show a certificate warning on that device.

        Windows (domain-joined)  Group Policy Management: edit a GPO linked to the devices' OU, then
          Computer Configuration > Policies > Windows Settings > Security Settings > Public Key
          Policies > Trusted Root Certification Authorities > Import (copy the file as
          schoolgate-ca.crt first). Intune: a 'Trusted certificate' configuration profile.
          One machine (administrator prompt):  certutil -addstore -f Root schoolgate-ca.crt
        ChromeOS  Google Admin console > Devices > Networks > Certificates: choose the OU, Add
          certificate, upload the file and tick it as a certificate authority for Chromebooks.
        macOS  An MDM configuration profile with a Certificate payload. One Mac:
          sudo security add-trusted-cert -d -r trustRoot -k /Library/Keychains/System.keychain %1$s
        iOS / iPadOS  An MDM profile with a Certificate payload (trusted at once). By hand: open the
          file on the device, install it in Settings > General > VPN & Device Management, then turn
          on full trust in Settings > General > About > Certificate Trust Settings.
        Android  Through your EMM's CA certificate policy, or Settings > Security > Encryption &
          credentials > Install a certificate > CA certificate. Chrome trusts it, but most apps
          ignore CAs added this way: keep app hosts on the never-intercept list.
        Firefox  Uses its own store: enterprise policy Certificates > ImportEnterpriseRoots = true
          (Windows, macOS), or Certificates > Install with this file.

        Check on a device that its certificate details show the SHA-256 fingerprint above.
        More: docs/interception-ca.md
        """.formatted(certificate);
  }
}
