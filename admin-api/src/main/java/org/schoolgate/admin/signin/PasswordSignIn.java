package org.schoolgate.admin.signin;

import java.util.Objects;
import org.schoolgate.store.AccountStore.LoginOutcome;
import org.schoolgate.store.Store;

/**
 * The password half of every admin sign-in ({@code POST /api/v1/login} and the console's {@code
 * /sign-in}): a local account checks its own password; any other user name, when {@link
 * DirectoryRoles} is set up, is checked against the school's directory and signs in with the roles
 * its directory groups give, kept in step at every sign-in (the store creates the account at the
 * first one and audits role changes). Local accounts are never taken over by the directory. The
 * directory check blocks the calling admin thread for at most {@value DirectoryRoles#WAIT_SECONDS}
 * seconds. The second factor comes after this, the same for both kinds of account.
 */
public final class PasswordSignIn {
  private final Store store;
  private final DirectoryRoles directory;

  public PasswordSignIn(Store store, DirectoryRoles directory) {
    this.store = Objects.requireNonNull(store, "store");
    this.directory = Objects.requireNonNull(directory, "directory");
  }

  /** The result of checking a password. */
  public sealed interface Result {
    /** The store's outcome: a success or a refusal, audited either way. */
    record Checked(LoginOutcome outcome) implements Result {}

    /** The school's directory cannot answer now ({@code reason} says why); nothing is recorded. */
    record DirectoryUnavailable(String reason) implements Result {}
  }

  /** Checks {@code password} for {@code username} from client {@code address}; the caller clears the password. */
  public Result check(String username, char[] password, String address) {
    if (!directory.enabled() || store.accounts().byUsername(username).filter(a -> !a.directory()).isPresent()) {
      return new Result.Checked(store.accounts().login(username, password, address));
    }
    DirectoryRoles.Outcome checked = directory.check(username, password, address);
    if (checked instanceof DirectoryRoles.Outcome.Verified v) {
      return new Result.Checked(store.accounts().directorySignIn(v.user(), null, v.roles(), address));
    }
    if (checked instanceof DirectoryRoles.Outcome.Unavailable u) {
      return new Result.DirectoryUnavailable(u.reason());
    }
    return new Result.Checked(store.accounts().directoryRefused(username, address));
  }
}
