package org.schoolgate.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.schoolgate.proxy.destination.DestinationSettings;

/** The proxy's key for the admin API: 32 random bytes, base64url, new at every start. */
class ProxyKeyTest {
  @Test
  void aKeyIs32RandomBytesInBase64UrlThatTheProxyAccepts() {
    String key = ProxyKey.generate();

    assertThat(key).hasSize(DestinationSettings.MIN_KEY_CHARS).matches("[A-Za-z0-9_-]+");
    assertThat(Base64.getUrlDecoder().decode(key)).hasSize(32);
    assertThat(ProxyKey.generate()).isNotEqualTo(key);
    new DestinationSettings(java.net.URI.create("http://10.0.0.5:8080"), key,
        DestinationSettings.DEFAULT_REFRESH); // does not throw
  }
}
