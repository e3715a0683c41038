/**
 * Plumbing shared by the admin API's route packages: {@link org.schoolgate.admin.http.ApiException}
 * (an error answered as JSON {@code {code, message, field}}) and
 * {@link org.schoolgate.admin.http.JsonBody} (reading request bodies with errors that name the field).
 */
package org.schoolgate.admin.http;
