package org.schoolgate.admin.secondfactor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class TotpTest {
  /** RFC 6238 appendix B's SHA-1 seed. */
  private static final byte[] SEED = "12345678901234567890".getBytes(StandardCharsets.US_ASCII);

  @ParameterizedTest(name = "{0} s → {1}")
  @CsvSource({
      "59, 94287082",
      "1111111109, 07081804",
      "1111111111, 14050471",
      "1234567890, 89005924",
      "2000000000, 69279037",
      "20000000000, 65353130"})
  void matchesRfc6238TestVectors(long seconds, String expected) {
    assertThat(Totp.code(SEED, Totp.step(Instant.ofEpochSecond(seconds)), 8, "HmacSHA1")).isEqualTo(expected);
  }

  @Test
  void sixDigitCodesAreTheLastSixOfTheVectors() {
    assertThat(Totp.code(SEED, Totp.step(Instant.ofEpochSecond(59)))).isEqualTo("287082");
  }

  @Test
  void aCodeMatchesWithinOneStepEitherSideAndNotBeyond() {
    Instant at = Instant.ofEpochSecond(1_111_111_111);
    long step = Totp.step(at);
    assertThat(Totp.match(SEED, Totp.code(SEED, step - 1), at)).hasValue(step - 1);
    assertThat(Totp.match(SEED, Totp.code(SEED, step + 1), at)).hasValue(step + 1);
    assertThat(Totp.match(SEED, Totp.code(SEED, step - 2), at)).isEmpty();
    assertThat(Totp.match(SEED, "12345", at)).isEmpty();
    assertThat(Totp.match(SEED, null, at)).isEmpty();
  }

  @Test
  void base32RoundTripsAndNamesABadCharacter() {
    byte[] data = "foobar!".getBytes(StandardCharsets.US_ASCII);
    assertThat(Base32.encode("foobar".getBytes(StandardCharsets.US_ASCII))).isEqualTo("MZXW6YTBOI");
    assertThat(Base32.decode(Base32.encode(data))).isEqualTo(data);
    assertThat(Base32.decode("mzxw 6ytb-oi======")).isEqualTo("foobar".getBytes(StandardCharsets.US_ASCII));
    assertThatThrownBy(() -> Base32.decode("MZ1W")).hasMessage("'1' is not a Base32 character (expected: A-Z and 2-7)");
  }

  @Test
  void recoveryCodesAreTenDistinctGroupedCodesHashedWithoutHyphensOrCase() {
    var codes = RecoveryCodes.generate();
    assertThat(codes).hasSize(10).doesNotHaveDuplicates()
        .allSatisfy(c -> assertThat(c).matches("[A-Z2-7]{4}-[A-Z2-7]{4}-[A-Z2-7]{4}-[A-Z2-7]{4}"));
    String c = codes.get(0);
    assertThat(RecoveryCodes.hash(c.toLowerCase().replace("-", " "))).isEqualTo(RecoveryCodes.hash(c))
        .matches("[0-9a-f]{64}");
    assertThat(RecoveryCodes.looksLikeOne("123456")).isFalse();
  }

  @Test
  void theQrCodeIsAnSvgWithATitleAndNoStyleAttributes() {
    String svg = QrSvg.of("otpauth://totp/Schoolgate:dsl?secret=JBSWY3DPEHPK3PXP", "QR <for> dsl");
    assertThat(svg).startsWith("<svg").contains("<title id=\"qr-title\">QR &lt;for&gt; dsl</title>")
        .contains("<path").doesNotContain("style=");
  }
}
