/** Loading {@code conf/freshet.yaml} and the typed options of the local profile and the service. */
package io.freshet.app.config;
