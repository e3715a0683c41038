/**
 * The sample policy and starter lists shipped with Schoolgate, extracted with {@link org.schoolgate.policy.sample.SamplePolicy#extractTo}.
 */
package org.schoolgate.policy.sample;
