package org.schoolgate.store.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.schoolgate.store.BindingStore;
import org.schoolgate.store.BindingStore.Page;
import org.schoolgate.store.BindingStore.StoredBinding;

class BindingStoreTest {
  private static final Instant T0 = TestDatabase.START;

  @DatabaseTest
  void bindingsInForceSurviveARestart(TestDatabase db) {
    db.store().bindings().write(List.of(
        binding("10.0.0.5", "alice", "session", T0, T0.plus(Duration.ofHours(8)), false),
        binding("2001:db8:0:0:0:0:0:6", "bob", "radius", T0, T0.plus(Duration.ofHours(8)), false),
        binding("10.0.0.7", "carol", "session", T0, T0.plus(Duration.ofMinutes(5)), false)));

    BindingStore reopened = db.reopen().bindings();
    Page page = reopened.active(T0.plus(Duration.ofMinutes(10)));

    assertThat(page.bindings()).extracting(StoredBinding::user).containsExactlyInAnyOrder("alice", "bob");
    assertThat(page.version()).isEqualTo(1);
    StoredBinding alice = page.bindings().stream().filter(b -> b.user().equals("alice")).findFirst().orElseThrow();
    assertThat(alice).isEqualTo(binding("10.0.0.5", "alice", "session", T0, T0.plus(Duration.ofHours(8)), false));
  }

  @DatabaseTest
  void theMostRecentChangeOfAnAddressWinsWhateverOrderItArrivesIn(TestDatabase db) {
    BindingStore store = db.store().bindings();
    Instant later = T0.plusSeconds(60);
    store.write(List.of(binding("10.0.0.5", "bob", "session", later, later.plus(Duration.ofHours(1)), false)));
    store.write(List.of(binding("10.0.0.5", "alice", "radius", T0, T0.plus(Duration.ofHours(8)), false)));

    assertThat(store.active(later).bindings()).extracting(StoredBinding::user).containsExactly("bob");
  }

  @DatabaseTest
  void anEndIsKeptSoOtherNodesSeeItByTheVersion(TestDatabase db) {
    BindingStore store = db.store().bindings();
    store.write(List.of(binding("10.0.0.5", "alice", "session", T0, T0.plus(Duration.ofHours(8)), false)));
    long seen = store.version();
    Instant logoff = T0.plus(Duration.ofMinutes(40));
    store.write(List.of(binding("10.0.0.5", "alice", "session", logoff, logoff, true)));

    Page changes = store.changedSince(seen);
    assertThat(changes.version()).isEqualTo(seen + 1);
    assertThat(changes.bindings()).containsExactly(binding("10.0.0.5", "alice", "session", logoff, logoff, true));
    assertThat(store.active(logoff).bindings()).isEmpty();
    assertThat(store.changedSince(changes.version()).bindings()).isEmpty();
  }

  @DatabaseTest
  void portalBindingsKeepTheirDirectoryGroupsAndOldRowsArePurged(TestDatabase db) {
    BindingStore store = db.store().bindings();
    StoredBinding guest = new StoredBinding("10.9.0.5", "guest-4821", Set.of("CN=Guests,OU=Groups", "CN=Visitors"),
        "portal", "portal", T0, T0.plus(Duration.ofHours(10)), false);
    store.write(List.of(guest, binding("10.0.0.9", "dan", "session", T0, T0.plus(Duration.ofMinutes(1)), false)));

    assertThat(store.active(T0).bindings()).contains(guest);
    assertThat(store.purge(T0.plus(Duration.ofHours(1)))).isEqualTo(1);
    assertThat(store.changedSince(0).bindings()).containsExactly(guest);
  }

  private static StoredBinding binding(String address, String user, String method, Instant madeAt, Instant until,
      boolean ended) {
    return new StoredBinding(address, user, Set.of(), method, method + ":test", madeAt, until, ended);
  }
}
