package org.schoolgate.deploy;

import java.util.Objects;
import org.schoolgate.identity.local.LocalAccounts;
import org.schoolgate.identity.verify.SourceDownException;
import org.schoolgate.store.ProxyAccount;
import org.schoolgate.store.ProxyAccountStore;
import org.schoolgate.store.StoreUnavailableException;

/**
 * The store's local proxy accounts as the identity module's {@link LocalAccounts}: a password
 * check is the store's Argon2id check (the same time for unknown names), a database that cannot
 * answer is a source that is down (the verifier then keeps cached people working and refuses the
 * rest). Called on the verifier's {@code schoolgate-identity-N} threads only.
 */
final class StoreLocalAccounts implements LocalAccounts {
  private final ProxyAccountStore accounts;

  StoreLocalAccounts(ProxyAccountStore accounts) {
    this.accounts = Objects.requireNonNull(accounts, "accounts");
  }

  @Override
  public Answer authenticate(String user, char[] password) throws SourceDownException {
    ProxyAccountStore.Check check;
    try {
      check = accounts.check(user, password);
    } catch (StoreUnavailableException e) {
      throw new SourceDownException("the database of local proxy accounts is unavailable: " + e.getMessage(), false, e);
    }
    if (check instanceof ProxyAccountStore.Check.Found f) {
      return found(f.account());
    }
    return check instanceof ProxyAccountStore.Check.WrongPassword ? new WrongPassword() : new NoSuchUser();
  }

  @Override
  public Answer groups(String user) throws SourceDownException {
    try {
      return accounts.byUsername(user).<Answer>map(StoreLocalAccounts::found).orElseGet(NoSuchUser::new);
    } catch (StoreUnavailableException e) {
      throw new SourceDownException("the database of local proxy accounts is unavailable: " + e.getMessage(), false, e);
    }
  }

  @Override
  public String describe() {
    return "local proxy accounts";
  }

  private static Found found(ProxyAccount a) {
    return new Found(a.username(), a.groups());
  }
}
