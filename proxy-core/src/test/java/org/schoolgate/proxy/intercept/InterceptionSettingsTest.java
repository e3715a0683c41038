package org.schoolgate.proxy.intercept;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.schoolgate.proxy.ProxyConfig;
import org.schoolgate.proxy.testing.TestCa;

/** Interception settings: validated, optional in {@link ProxyConfig}, kept by {@code toBuilder}. */
class InterceptionSettingsTest {
  private static final LeafSource NO_LEAVES = host -> CompletableFuture.failedFuture(
      new IllegalStateException("not in this test"));

  @Test
  void aProxyWithoutSettingsInterceptsNothing() {
    assertThat(ProxyConfig.defaults().interception()).isNull();
  }

  @Test
  void settingsSurviveToBuilderAndCopyTheExtraCas() {
    TestCa ca = new TestCa("Extra");
    List<java.security.cert.X509Certificate> cas = new java.util.ArrayList<>(List.of(ca.certificate()));
    InterceptionSettings settings = new InterceptionSettings(NO_LEAVES, cas);
    cas.clear();

    ProxyConfig config = ProxyConfig.builder().interception(settings).build().toBuilder().build();

    assertThat(config.interception()).isSameAs(settings);
    assertThat(config.interception().extraTrustedCas()).containsExactly(ca.certificate());
  }

  @Test
  void missingPartsAreRefusedWithTheFix() {
    assertThatThrownBy(() -> new InterceptionSettings(null, List.of()))
        .hasMessageContaining("interception.leaves").hasMessageContaining("LeafCertificates");
    assertThatThrownBy(() -> new InterceptionSettings(NO_LEAVES, null))
        .hasMessageContaining("interception.extraTrustedCas").hasMessageContaining("empty");
  }
}
