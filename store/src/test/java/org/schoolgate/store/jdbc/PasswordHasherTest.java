package org.schoolgate.store.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class PasswordHasherTest {
  private static final PasswordHasher CHEAP = new PasswordHasher(256, 2, 1);
  private static final char[] PASSWORD = "correct horse battery".toCharArray();

  @Test
  void hashIsAPhcArgon2idStringWithARandomSalt() {
    String first = CHEAP.hash(PASSWORD);
    String second = CHEAP.hash(PASSWORD);

    assertThat(first).matches("\\$argon2id\\$v=19\\$m=256,t=2,p=1\\$[A-Za-z0-9+/]{22}\\$[A-Za-z0-9+/]{43}");
    assertThat(first).isNotEqualTo(second);
  }

  @Test
  void verifyAcceptsOnlyTheRightPassword() {
    String phc = CHEAP.hash(PASSWORD);

    assertThat(CHEAP.verify(PASSWORD, phc)).isTrue();
    assertThat(CHEAP.verify("correct horse batterY".toCharArray(), phc)).isFalse();
    assertThat(CHEAP.verify(new char[0], phc)).isFalse();
  }

  @Test
  void nonAsciiPasswordsAreHashedAsUtf8() {
    char[] password = "pässwörd-ñandú-密码".toCharArray();
    String phc = CHEAP.hash(password);

    assertThat(CHEAP.verify(password, phc)).isTrue();
    assertThat(CHEAP.verify("passwörd-ñandú-密码".toCharArray(), phc)).isFalse();
  }

  @Test
  void verifiesTheArgon2ReferenceImplementationsTestVector() {
    // phc-winner-argon2 src/test.c: password "password", salt "somesalt", m=65536, t=2, p=1
    String reference = "$argon2id$v=19$m=65536,t=2,p=1$c29tZXNhbHQ$CTFhFdXPJO1aFaMaO6Mm5c8y7cJHAph8ArZWb2GRPPc";

    assertThat(CHEAP.verify("password".toCharArray(), reference)).isTrue();
    assertThat(CHEAP.verify("passwore".toCharArray(), reference)).isFalse();
  }

  @Test
  void malformedOrAbusiveHashesNeverVerify() {
    String good = CHEAP.hash(PASSWORD);
    List<String> bad = List.of("", "plain", good.replace("argon2id", "argon2i"), good.replace("v=19", "v=16"),
        good.replace("m=256", "m=99999999"), good.replace("t=2", "t=0"), good.replace("p=1", "p=0"),
        good.substring(0, good.lastIndexOf('$')), good + "$extra", good.replace("m=256,t=2,p=1", "m=256,t=2"));

    for (String phc : bad) {
      assertThat(CHEAP.verify(PASSWORD, phc)).as(phc).isFalse();
    }
    assertThat(CHEAP.verify(PASSWORD, null)).isFalse();
  }

  @Test
  void hashesFromOtherParametersStillVerifyButNeedARehash() {
    PasswordHasher other = new PasswordHasher(128, 1, 1);
    String old = other.hash(PASSWORD);

    assertThat(CHEAP.verify(PASSWORD, old)).isTrue();
    assertThat(CHEAP.needsRehash(old)).isTrue();
    assertThat(CHEAP.needsRehash(CHEAP.hash(PASSWORD))).isFalse();
  }

  @Test
  void defaultCostIsTheOwaspArgon2idMinimum() {
    String phc = PasswordHasher.production().hash(PASSWORD);

    assertThat(phc).startsWith("$argon2id$v=19$m=19456,t=2,p=1$");
    assertThat(PasswordHasher.production().verify(PASSWORD, phc)).isTrue();
  }

  @Test
  void invalidCostIsRefused() {
    assertThatThrownBy(() -> new PasswordHasher(4, 1, 1)).hasMessageContaining("m >= 8*p");
  }
}
