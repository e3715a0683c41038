/**
 * Sign-in throttling that an attacker cannot turn against the account's owner: failures lock an
 * account for one client address only, and failures from many addresses together slow every
 * sign-in to that account down instead of locking it ({@link
 * org.schoolgate.admin.signin.SignInThrottle}, tuned by {@link org.schoolgate.admin.signin.SignInLimits}).
 */
package org.schoolgate.admin.signin;
