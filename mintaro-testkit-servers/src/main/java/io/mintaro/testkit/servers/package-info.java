/** Real external servers and tools for tests: a throwaway PostgreSQL cluster, HAProxy, and a throwaway CA. */
package io.mintaro.testkit.servers;
