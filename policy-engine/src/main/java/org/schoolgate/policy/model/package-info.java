/**
 * Policy file model: config records validated in their constructors, and {@link org.schoolgate.policy.model.PolicyReader}, which reads the YAML policy with file:line:field errors.
 */
package org.schoolgate.policy.model;
