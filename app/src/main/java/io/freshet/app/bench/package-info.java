/** Freshet's own load tools, run with {@code ./freshet bench ...}; results go under {@code bench/results/}. */
package io.freshet.app.bench;
