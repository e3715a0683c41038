/**
 * A signed-in person's notifications over HTTP (new unblock requests for approvers, decisions for
 * the requester, site reports and their answers): the list with the unread count, marking read,
 * and the account's own email address for their email copies. The store raises notifications in
 * the transaction of what caused them, never these routes.
 */
package org.schoolgate.admin.notification;
