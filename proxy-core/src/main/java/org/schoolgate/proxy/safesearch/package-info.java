/**
 * SafeSearch and restricted YouTube without decrypting: which safe variant a request was sent to
 * and, over plain HTTP, the query parameter and header that ask the site for its safe mode.
 */
package org.schoolgate.proxy.safesearch;
