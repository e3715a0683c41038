/**
 * Reading the hash-chained audit trail over HTTP: filtered JSON pages, a CSV download for
 * governors, and a check that the chain is intact.
 */
package org.schoolgate.admin.audit;
