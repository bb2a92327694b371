/** Request, response and error bodies of the HTTP API (snake_case JSON). */
package io.freshet.serving.api;
