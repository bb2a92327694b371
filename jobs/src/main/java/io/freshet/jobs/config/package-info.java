/** Typed configuration options of the jobs, one class per concern. */
package io.freshet.jobs.config;
