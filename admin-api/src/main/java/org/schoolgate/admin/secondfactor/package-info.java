/**
 * The second factor for admin, DSL and senior-leader accounts: TOTP codes (RFC 6238, written here:
 * one HMAC-SHA1 and a truncation, checked against the RFC's test vectors), enrolment with a QR
 * code drawn server-side as SVG (ZXing), one-time recovery codes (only their SHA-256 is stored),
 * and the rules: which roles need it, the ±30 s window, no code used twice, lock-outs after wrong
 * codes. {@link org.schoolgate.admin.secondfactor.SecondFactor} is the one entry point; the store
 * keeps the state ({@link org.schoolgate.store.SecondFactorStore}).
 */
package org.schoolgate.admin.secondfactor;
