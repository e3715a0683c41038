/**
 * The school's LDAP directory or Active Directory ({@link org.schoolgate.identity.directory.LdapDirectory},
 * UnboundID LDAP SDK): binds as the user over LDAPS or StartTLS, a service account for the
 * user and group searches, nested groups walked with a depth bound and cycle detection.
 */
package org.schoolgate.identity.directory;
