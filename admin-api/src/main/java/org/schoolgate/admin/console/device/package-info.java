/**
 * The device sign-in page ({@code /device-sign-in}): where the proxy sends personal devices and
 * guests on a network whose sign-in page is required. {@code DeviceSignIn} checks a school account
 * (the identity verifier: directory or local proxy accounts) or a guest voucher and binds the
 * device's address to the person in the address-binding table ({@code portal}); {@code
 * DeviceSignInPages} is the form.
 */
package org.schoolgate.admin.console.device;
