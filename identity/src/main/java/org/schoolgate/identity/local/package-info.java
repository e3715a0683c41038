/**
 * {@link org.schoolgate.identity.local.LocalAccounts}: Schoolgate's own proxy accounts for schools
 * without a directory; deploy adapts the store to it.
 */
package org.schoolgate.identity.local;
